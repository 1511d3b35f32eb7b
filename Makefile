# Lambda artifacts for `sam build` (template.yaml: `Metadata: BuildMethod: makefile`, CodeUri `.`).
#
# SAM runs `make --makefile <this file> build-<LogicalId>` once per function with ARTIFACTS_DIR set, in a
# scratch copy of the repository (or in place with --build-in-source). ROOT is this file's own directory,
# so all three targets share one Maven build in the real working tree: the first target runs the reactor
# build of the three function modules, the next two find their jars newer than every source and only
# unpack them. That needs the targets to run one after another: samconfig.toml sets parallel = false.
#
# By hand: make lambda-jars, or make build-IngestFunction ARTIFACTS_DIR=/tmp/ingest

ROOT := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))

# JDK 25 builds the project (the root pom enforces it). scripts/java-home finds it the way the other
# scripts do: JAVA_HOME if it is 25 or newer, else an installed JDK 25; it says what is missing if none.
JAVA_HOME := $(shell "$(ROOT)/scripts/java-home")
ifeq ($(JAVA_HOME),)
$(error no JDK 25 found (scripts/java-home says why, above))
endif
export JAVA_HOME
JAR := $(JAVA_HOME)/bin/jar
MVN ?= mvn
MVN_FLAGS ?= -B -q -DskipTests

FUNCTIONS := ingest delivery management
lambda_jar = $(ROOT)/functions/$(1)/target/signet-$(1)-lambda.jar
LAMBDA_JARS := $(foreach f,$(FUNCTIONS),$(call lambda_jar,$(f)))

# What the function jars are made of: every pom and every main source or resource of functions/, and
# openapi.yaml (the management function serves it).
SOURCES := $(ROOT)/pom.xml $(ROOT)/openapi.yaml $(shell find "$(ROOT)/functions" -name target -prune -o -type f \
	\( -name pom.xml -o -path '*/src/main/*' \) -print)

.PHONY: lambda-jars build-IngestFunction build-DeliveryFunction build-ManagementFunction

lambda-jars: $(LAMBDA_JARS)

# One reactor build (core, api and the three functions) refreshes all three jars.
$(LAMBDA_JARS): $(SOURCES)
	cd "$(ROOT)" && "$(MVN)" $(MVN_FLAGS) -pl functions/ingest,functions/delivery,functions/management -am package

# Lambda's Java runtime puts the classes at the root of the package on the classpath, so the shaded jar
# is unpacked rather than copied.
define unpack
	$(if $(ARTIFACTS_DIR),,$(error ARTIFACTS_DIR is not set: sam build sets it; by hand add ARTIFACTS_DIR=<empty dir>))
	mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && "$(JAR)" xf "$(1)"
endef

build-IngestFunction: $(call lambda_jar,ingest)
	$(call unpack,$<)

build-DeliveryFunction: $(call lambda_jar,delivery)
	$(call unpack,$<)

build-ManagementFunction: $(call lambda_jar,management)
	$(call unpack,$<)
