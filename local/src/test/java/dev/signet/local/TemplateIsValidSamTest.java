package dev.signet.local;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.signet.core.aws.EventsTable;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;
import dev.signet.ingest.IngestHandler;
import dev.signet.management.ManagementHandler;
import dev.signet.testkit.InMemoryStores;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * template.yaml is a SAM template that deploys: every resource matches its definition in the SAM schema
 * (../shared/schemas/sam.schema.json, checked offline), and the invariants the delivery pipeline relies on
 * hold. {@link EveryInvariantCanFail} breaks each invariant in a copy of the template and checks that its
 * assertion notices, so none of them can pass vacuously.
 *
 * <p>{@code -Dsignet.template=<file>} checks another template file (e.g. a candidate change).
 */
class TemplateIsValidSamTest {
    static final String SCHEMA_RELATIVE = "shared/schemas/sam.schema.json";
    static final Path ROOT = findUp("template.yaml", "the repository root (the directory with template.yaml)");
    static final Path TEMPLATE = Path.of(System.getProperty("signet.template", ROOT.resolve("template.yaml").toString()));
    static final Path SAM_SCHEMA = findUp(SCHEMA_RELATIVE, "the SAM schema (expected at ../shared/schemas/sam.schema.json "
            + "next to the repository, i.e. /work/shared beside /work/main)").resolve(SCHEMA_RELATIVE);

    static final String STACK_SECRET_ARN_PREFIX =
            "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:signet/${AWS::StackName}/";
    static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    /** "METHOD /path/{param}" of every route each API function's router serves. */
    static final Map<String, List<String>> SERVED_ROUTES = servedRoutes();

    // ---- schema -------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> everyResourceMatchesItsSamSchemaDefinition() {
        Map<String, Object> template = load(TEMPLATE);
        return resources(template).entrySet().stream().map(e -> DynamicTest.dynamicTest(
                e.getKey() + " (" + type(e.getValue()) + ")",
                () -> assertThat(SamSchema.errors(e.getValue()))
                        .as("%s does not match the SAM schema definition %s", e.getKey(), SamSchema.definitionFor(type(e.getValue())))
                        .isEmpty()));
    }

    @Test
    void globalsMatchTheSamSchema() {
        Object globals = load(TEMPLATE).get("Globals");
        assertThat(globals).as("Globals").isNotNull();
        assertThat(SamSchema.errors(SamSchema.GLOBALS, globals)).as("Globals").isEmpty();
    }

    @Test
    void everyServerlessTypeUsedHasItsOwnSchemaDefinition() {
        for (Object resource : resources(load(TEMPLATE)).values()) {
            String type = type(resource);
            if (type.startsWith("AWS::Serverless::")) {
                assertThat(SamSchema.TYPE_DEFINITIONS).as("the SAM schema's definition of %s", type).containsKey(type);
            }
        }
    }

    @Test
    void wholeTemplateMatchesTheSamSchema() {
        // Noisy when it fails (a union over every resource type): the per-resource test says which one.
        assertThat(SamSchema.errors(SamSchema.ROOT, load(TEMPLATE))).as("template.yaml against the whole SAM schema").isEmpty();
    }

    // ---- invariants ---------------------------------------------------------------------------------

    @Test
    void deliveriesQueueHidesAMessageForAtLeastSixDeliveryTimeouts() {
        Invariants.visibilityTimeoutCoversSixDeliveryTimeouts(load(TEMPLATE));
    }

    @Test
    void attemptsAreCountedBySignetAndReceivesOnlyBoundPoisonMessages() {
        Invariants.receiveCountIsASafetyNetAboveTheAttempts(load(TEMPLATE));
    }

    @Test
    void deliveryConcurrencyIsReservedAndTheStoresThrottlingIsWatched() {
        Invariants.deliveryConcurrencyReservedAndThrottlesAlarmed(load(TEMPLATE));
    }

    @Test
    void everyFunctionIsKeptWarmWeekly() {
        Invariants.everyFunctionKeptWarm(load(TEMPLATE));
    }

    @Test
    void deadLetterQueueNamesTheDeliveriesQueueWithoutACycle() {
        Invariants.redriveAllowPolicyHasNoCycle(load(TEMPLATE));
    }

    @Test
    void resourcesHaveNoDependencyCycle() {
        Invariants.noDependencyCycle(load(TEMPLATE));
    }

    @Test
    void everyFunctionRunsJava25OnArm64WithSnapStart() {
        Invariants.functionsRunJava25OnArm64WithSnapStart(load(TEMPLATE));
    }

    @Test
    void deliveryEventSourceReportsBatchItemFailures() {
        Invariants.deliveryReportsBatchItemFailures(load(TEMPLATE));
    }

    @Test
    void functionsBehindTheHttpApiEndBeforeApiGatewayGivesUp() {
        Invariants.apiFunctionsEndBeforeTheGateway(load(TEMPLATE));
    }

    @Test
    void tablesAreOnDemandUnlessProvisionedWithAutoScalingAndExpireByTtl() {
        Invariants.tablesOnDemandOrAutoScaledWithTtl(load(TEMPLATE));
    }

    @Test
    void theConfigTableAlwaysKeepsPointInTimeRecoveryAndTheEventsTableByDefault() {
        Invariants.pointInTimeRecovery(load(TEMPLATE));
    }

    @Test
    void everyFunctionLogsToItsOwnGroupWithARetention() {
        Invariants.functionsLogToGroupsWithRetention(load(TEMPLATE));
    }

    @Test
    void eventsTableHasTheDeliveryLogIndexes() {
        Invariants.eventsTableHasDeliveryLogIndexes(load(TEMPLATE));
    }

    @Test
    void secretsManagerAccessStaysUnderTheStackPrefix() {
        Invariants.secretsStayUnderStackPrefix(load(TEMPLATE));
    }

    @Test
    void everyFunctionIsBuiltByAMakefileTarget() {
        Invariants.functionsBuiltByMakefile(load(TEMPLATE), readString(ROOT.resolve("Makefile")));
    }

    @Test
    void everyRouteTheFunctionsServeIsRoutedToThem() {
        Invariants.routesReachTheirFunctions(load(TEMPLATE), SERVED_ROUTES);
    }

    // ---- egress modes (docs/egress-modes/*.json, the parameter sets scripts/check-template lints) ------

    @TestFactory
    Stream<DynamicTest> eachEgressModeDeploysItsNetwork() {
        Map<String, Object> t = load(TEMPLATE);
        return EGRESS_MODES.entrySet().stream().map(mode -> DynamicTest.dynamicTest(mode.getKey(),
                () -> Invariants.egressModeDeploysItsNetwork(t, mode.getKey(), mode.getValue())));
    }

    @Test
    void privateCidrsAreRefusedWithoutAVpc() {
        Invariants.privateCidrsNeedAVpc(load(TEMPLATE));
    }

    @Test
    void egressParametersThatCannotWorkTogetherAreRefused() {
        Invariants.egressModesExcludeEachOther(load(TEMPLATE));
    }

    @Test
    void outputsNameWhatOperatorsNeed() {
        Invariants.outputsPresent(load(TEMPLATE));
    }

    @Test
    void alarmsCoverDeadLettersBacklogErrorsAndThrottlesAndNotifyTheTopic() {
        Map<String, Object> alarms = new java.util.TreeMap<>();
        resources(load(TEMPLATE)).forEach((name, r) -> {
            if ("AWS::CloudWatch::Alarm".equals(map(r, name).get("Type"))) {
                alarms.put(name, r);
            }
        });
        assertThat(alarms).containsKeys("DeadLetterAlarm", "DeliveryBacklogAlarm", "FunctionErrorsAlarm", "FunctionThrottlesAlarm");
        alarms.forEach((name, r) -> {
            Map<String, Object> alarm = map(r, name);
            assertThat(alarm.get("Condition")).as(name + " exists only with a topic").isEqualTo("HasAlarmTopic");
            assertThat(String.valueOf(map(alarm.get("Properties"), name).get("AlarmActions"))).as(name + " notifies the topic")
                    .contains("AlarmTopicArn");
        });
        String all = alarms.toString();
        assertThat(all).contains("ApproximateNumberOfMessagesVisible").contains("ApproximateAgeOfOldestMessage")
                .contains("Errors").contains("Throttles").contains("IngestFunction").contains("DeliveryFunction")
                .contains("ManagementFunction");
    }

    /** Each invariant, broken on purpose in a fresh copy of the template, must fail its assertion. */
    @Nested
    class EveryInvariantCanFail {

        @Test
        void schemaRejectsAnUnknownFunctionProperty() {
            Map<String, Object> t = load(TEMPLATE);
            props(t, "IngestFunction").put("Timout", 15);
            assertThat(SamSchema.errors(resources(t).get("IngestFunction"))).isNotEmpty();
        }

        @Test
        void schemaRejectsAnUnknownGlobalsProperty() {
            Map<String, Object> t = load(TEMPLATE);
            map(map(t.get("Globals"), "Globals").get("Function"), "Globals.Function").put("Runtimes", "java25");
            assertThat(SamSchema.errors(SamSchema.GLOBALS, t.get("Globals"))).isNotEmpty();
        }

        @Test
        void visibilityTimeoutBelowSixTimeoutsPlusTheBatchingWindow() {
            breaks(Invariants::visibilityTimeoutCoversSixDeliveryTimeouts, t -> props(t, "DeliveriesQueue").put("VisibilityTimeout", 360));
            breaks(Invariants::visibilityTimeoutCoversSixDeliveryTimeouts, t -> props(t, "DeliveryFunction").put("Timeout", 61));
            breaks(Invariants::visibilityTimeoutCoversSixDeliveryTimeouts, t -> map(map(t.get("Parameters"), "Parameters")
                    .get("DeliveryBatchingWindowSeconds"), "DeliveryBatchingWindowSeconds").put("MaxValue", 301));
        }

        @Test
        void maxReceiveCountAsTheAttemptsOrOutOfStepWithTheFunctions() {
            breaks(Invariants::receiveCountIsASafetyNetAboveTheAttempts,
                    t -> map(props(t, "DeliveriesQueue").get("RedrivePolicy"), "RedrivePolicy").put("maxReceiveCount", single("Ref", "MaxAttempts")));
            breaks(Invariants::receiveCountIsASafetyNetAboveTheAttempts,
                    t -> map(props(t, "DeliveriesQueue").get("RedrivePolicy"), "RedrivePolicy").put("maxReceiveCount", 8));
            breaks(Invariants::receiveCountIsASafetyNetAboveTheAttempts,
                    t -> environment(globalFunction(t)).put("SIGNET_MAX_RECEIVES", "50"));
            breaks(Invariants::receiveCountIsASafetyNetAboveTheAttempts,
                    t -> map(map(t.get("Parameters"), "Parameters").get("MaxAttempts"), "MaxAttempts").put("Default", 9));
            breaks(Invariants::receiveCountIsASafetyNetAboveTheAttempts,
                    t -> environment(props(t, "DeliveryFunction")).remove("SIGNET_DEAD_LETTER_QUEUE_URL"));
        }

        @Test
        void reservedConcurrencyOffTheEventSourceOrNoThrottleAlarm() {
            breaks(Invariants::deliveryConcurrencyReservedAndThrottlesAlarmed,
                    t -> map(map(t.get("Parameters"), "Parameters").get("DeliveryReservedConcurrency"), "p").put("Default", 10));
            breaks(Invariants::deliveryConcurrencyReservedAndThrottlesAlarmed, t -> props(t, "DeliveryFunction").remove("ReservedConcurrentExecutions"));
            breaks(Invariants::deliveryConcurrencyReservedAndThrottlesAlarmed, t -> resources(t).remove("StoreThrottlesAlarm"));
        }

        @Test
        void aFunctionNotKeptWarm() {
            breaks(Invariants::everyFunctionKeptWarm, t -> map(props(t, "IngestFunction").get("Events"), "Events").remove("KeepWarm"));
            breaks(Invariants::everyFunctionKeptWarm, t -> map(map(map(props(t, "DeliveryFunction").get("Events"), "Events")
                    .get("KeepWarm"), "KeepWarm").get("Properties"), "Properties").put("ScheduleExpression", "rate(14 days)"));
        }

        @Test
        void redriveAllowPolicyWithGetAttOfTheDeliveriesQueue() {
            Consumer<Map<String, Object>> cycle = t -> map(props(t, "DeadLetterQueue").get("RedriveAllowPolicy"), "RedriveAllowPolicy")
                    .put("sourceQueueArnList", List.of(single("Fn::GetAtt", List.of("DeliveriesQueue", "Arn"))));
            breaks(Invariants::redriveAllowPolicyHasNoCycle, cycle);
            breaks(Invariants::noDependencyCycle, cycle);
            breaks(Invariants::redriveAllowPolicyHasNoCycle, t -> map(props(t, "DeadLetterQueue").get("RedriveAllowPolicy"), "RedriveAllowPolicy")
                    .put("sourceQueueArnList", List.of(single("Fn::Sub",
                            "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AWS::StackName}-other"))));
        }

        @Test
        void functionReferringToItsOwnApi() {
            // The classic: the API's URL in a function's environment, while the API integrates that function.
            breaks(Invariants::noDependencyCycle, t -> environment(props(t, "ManagementFunction"))
                    .put("SIGNET_PUBLIC_URL", single("Fn::Sub", "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/")));
        }

        @Test
        void functionNotJava25Arm64SnapStart() {
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> globalFunction(t).put("Runtime", "java21"));
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> props(t, "IngestFunction").put("Runtime", "java21"));
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> props(t, "DeliveryFunction").put("Architectures", List.of("x86_64")));
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> globalFunction(t).remove("SnapStart"));
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> globalFunction(t).put("SnapStart", single("ApplyOn", "None")));
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> globalFunction(t).remove("AutoPublishAlias"));
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> environment(globalFunction(t))
                    .put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"));
            breaks(Invariants::functionsRunJava25OnArm64WithSnapStart, t -> props(t, "DeliveryFunction").put("Environment",
                    single("Variables", single("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1"))));
        }

        @Test
        void deliveryWithoutBatchItemFailures() {
            breaks(Invariants::deliveryReportsBatchItemFailures, t -> sqsEventProperties(t).remove("FunctionResponseTypes"));
            breaks(Invariants::deliveryReportsBatchItemFailures, t -> sqsEventProperties(t).remove("ScalingConfig"));
            breaks(Invariants::deliveryReportsBatchItemFailures, t -> sqsEventProperties(t).put("FunctionName", single("Ref", "DeliveryFunction")));
            breaks(Invariants::deliveryReportsBatchItemFailures, t -> map(props(t, "DeliveryFunction").get("Events"), "Events")
                    .put("Deliveries", Map.of("Type", "SQS", "Properties", Map.of("Queue", single("Fn::GetAtt", List.of("DeliveriesQueue", "Arn"))))));
        }

        @Test
        void apiFunctionRunningAsLongAsTheGateway() {
            breaks(Invariants::apiFunctionsEndBeforeTheGateway, t -> props(t, "ManagementFunction").put("Timeout", 30));
            breaks(Invariants::apiFunctionsEndBeforeTheGateway, t -> props(t, "IngestFunction").remove("Timeout"));
        }

        @Test
        void tableProvisionedWithoutAutoScalingOrWithoutTtl() {
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> props(t, "ConfigTable").put("BillingMode", "PROVISIONED"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> map(map(t.get("Parameters"), "Parameters").get("TableCapacity"),
                    "TableCapacity").put("Default", "provisioned"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> resources(t).remove("ByEndpointIndexWriteScaling"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> resources(t).remove("EventsTableReadScalingPolicy"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> map(map(props(t, "ConfigTableWriteScalingPolicy")
                    .get("TargetTrackingScalingPolicyConfiguration"), "config").get("PredefinedMetricSpecification"), "metric")
                    .put("PredefinedMetricType", "DynamoDBReadCapacityUtilization"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> map(list(props(t, "EventsTable").get("GlobalSecondaryIndexes"), "GSIs")
                    .get(2), "GSI").remove("ProvisionedThroughput"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> map(resources(t).get("MissedIndexReadScaling"), "target").remove("Condition"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> map(props(t, "EventsTable").get("TimeToLiveSpecification"), "TTL")
                    .put("AttributeName", "expires_at"));
            breaks(Invariants::tablesOnDemandOrAutoScaledWithTtl, t -> map(props(t, "ConfigTable").get("TimeToLiveSpecification"), "TTL")
                    .put("Enabled", false));
        }

        @Test
        void pointInTimeRecoveryOptionalForTheConfigTableOrOffByDefault() {
            breaks(Invariants::pointInTimeRecovery, t -> map(props(t, "ConfigTable").get("PointInTimeRecoverySpecification"), "PITR")
                    .put("PointInTimeRecoveryEnabled", Map.of("Fn::If", List.of("EventsTableRecoverable", true, false))));
            breaks(Invariants::pointInTimeRecovery, t -> map(map(t.get("Parameters"), "Parameters").get("EventsPointInTimeRecovery"),
                    "EventsPointInTimeRecovery").put("Default", "false"));
            breaks(Invariants::pointInTimeRecovery, t -> map(props(t, "EventsTable").get("PointInTimeRecoverySpecification"), "PITR")
                    .put("PointInTimeRecoveryEnabled", true));
        }

        @Test
        void functionLoggingWithoutItsGroupOrRetention() {
            breaks(Invariants::functionsLogToGroupsWithRetention, t -> props(t, "DeliveryLogGroup").remove("RetentionInDays"));
            breaks(Invariants::functionsLogToGroupsWithRetention, t -> props(t, "IngestFunction").remove("LoggingConfig"));
            breaks(Invariants::functionsLogToGroupsWithRetention, t -> map(props(t, "ManagementFunction").get("LoggingConfig"), "LoggingConfig")
                    .put("LogGroup", single("Ref", "IngestLogGroup")));
            breaks(Invariants::functionsLogToGroupsWithRetention, t -> map(map(t.get("Parameters"), "Parameters").get("LogRetentionDays"),
                    "LogRetentionDays").remove("Default"));
        }

        @Test
        void eventsTableIndexRenamedOrNarrowed() {
            breaks(Invariants::eventsTableHasDeliveryLogIndexes, t -> map(list(props(t, "EventsTable").get("GlobalSecondaryIndexes"), "GSIs")
                    .get(1), "GSI").put("IndexName", "by_ep"));
            breaks(Invariants::eventsTableHasDeliveryLogIndexes, t -> map(list(props(t, "EventsTable").get("GlobalSecondaryIndexes"), "GSIs")
                    .get(0), "GSI").put("Projection", single("ProjectionType", "KEYS_ONLY")));
            breaks(Invariants::eventsTableHasDeliveryLogIndexes, t -> map(list(props(t, "EventsTable").get("GlobalSecondaryIndexes"), "GSIs")
                    .get(1), "GSI").put("Projection", single("ProjectionType", "ALL")));
            breaks(Invariants::eventsTableHasDeliveryLogIndexes, t -> list(map(map(list(props(t, "EventsTable")
                    .get("GlobalSecondaryIndexes"), "GSIs").get(1), "GSI").get("Projection"), "Projection").get("NonKeyAttributes"),
                    "NonKeyAttributes").remove("delivery_status"));
            breaks(Invariants::eventsTableHasDeliveryLogIndexes, t -> list(map(map(list(props(t, "EventsTable")
                    .get("GlobalSecondaryIndexes"), "GSIs").get(0), "GSI").get("Projection"), "Projection").get("NonKeyAttributes"),
                    "NonKeyAttributes").add("response_body"));
            breaks(Invariants::eventsTableHasDeliveryLogIndexes, t -> list(props(t, "EventsTable").get("GlobalSecondaryIndexes"), "GSIs")
                    .remove(2));
            breaks(Invariants::eventsTableHasDeliveryLogIndexes, t -> list(map(map(list(props(t, "EventsTable")
                    .get("GlobalSecondaryIndexes"), "GSIs").get(2), "GSI").get("Projection"), "Projection").get("NonKeyAttributes"),
                    "NonKeyAttributes").add("payload"));
        }

        @Test
        void secretAccessBeyondTheTwoSecrets() {
            breaks(Invariants::secretsStayUnderStackPrefix, t -> secretStatement(t, "DeliveryFunction", "secretsmanager:GetSecretValue")
                    .put("Resource", "*"));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> secretStatement(t, "DeliveryFunction", "secretsmanager:GetSecretValue")
                    .put("Resource", single("Ref", "AdminKeySecret")));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> secretStatement(t, "ManagementFunction", "secretsmanager:GetSecretValue")
                    .put("Resource", single("Fn::Sub", STACK_SECRET_ARN_PREFIX + "endpoints/*")));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> secretStatement(t, "ManagementFunction", "secretsmanager:GetSecretValue")
                    .put("Action", List.of("secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue")));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> secretStatement(t, "ManagementFunction", "secretsmanager:GetSecretValue")
                    .put("Action", "secretsmanager:*"));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> list(props(t, "DeliveryFunction").get("Policies"), "Policies")
                    .add("SecretsManagerReadWrite"));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> map(list(map(props(t, "LegacyEndpointSecretsPolicy").get("PolicyDocument"),
                    "PolicyDocument").get("Statement"), "Statement").get(0), "statement")
                    .put("Resource", single("Fn::Sub", STACK_SECRET_ARN_PREFIX + "*")));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> map(resources(t).get("LegacyEndpointSecretsPolicy"), "policy").remove("Condition"));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> map(props(t, "CredentialKeySecret").get("GenerateSecretString"), "generate")
                    .put("PasswordLength", 16));
            breaks(Invariants::secretsStayUnderStackPrefix, t -> map(resources(t).get("CredentialKeySecret"), "secret").remove("DeletionPolicy"));
        }

        @Test
        void functionWithoutMakefileTarget() {
            String makefile = readString(ROOT.resolve("Makefile"));
            assertThatThrownBy(() -> Invariants.functionsBuiltByMakefile(renamed(load(TEMPLATE), "IngestFunction", "IngestFn"), makefile))
                    .isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> Invariants.functionsBuiltByMakefile(load(TEMPLATE), makefile.replace("build-DeliveryFunction:", "build-Delivery:")))
                    .isInstanceOf(AssertionError.class);
        }

        @Test
        void aServedRouteWithoutAnApiEvent() {
            breaks(t -> Invariants.routesReachTheirFunctions(t, SERVED_ROUTES),
                    t -> map(props(t, "ManagementFunction").get("Events"), "Events").remove("Egress"));
            breaks(t -> Invariants.routesReachTheirFunctions(t, SERVED_ROUTES),
                    t -> map(map(map(props(t, "IngestFunction").get("Events"), "Events").get("PostEventBatch"), "event")
                            .get("Properties"), "Properties").put("Method", "GET"));
        }

        @Test
        void anEgressModeMissingAPiece() {
            for (String mode : List.of("default", "own-vpc", "static-egress")) {
                Consumer<Map<String, Object>> invariant = t -> Invariants.egressModeDeploysItsNetwork(t, mode, EGRESS_MODES.get(mode));
                if (!mode.equals("default")) {
                    breaks(invariant, t -> props(t, "DeliveryFunction").remove("VpcConfig"));
                }
                breaks(invariant, t -> environment(props(t, "ManagementFunction")).remove("SIGNET_EGRESS_IPS"));
            }
            Consumer<Map<String, Object>> staticEgress = t -> Invariants.egressModeDeploysItsNetwork(t, "static-egress", EGRESS_MODES.get("static-egress"));
            breaks(staticEgress, t -> props(t, "EgressPrivateRouteB").put("NatGatewayId", single("Ref", "EgressNatGatewayA")));
            breaks(staticEgress, t -> {
                props(t, "EgressPrivateRouteA").remove("NatGatewayId"); // straight to the internet gateway: no fixed address
                props(t, "EgressPrivateRouteA").put("GatewayId", single("Ref", "EgressInternetGateway"));
            });
            breaks(staticEgress, t -> props(t, "EgressPrivateSubnetB").put("AvailabilityZone", single("Fn::Select", List.of(0, single("Fn::GetAZs", "")))));
            breaks(staticEgress, t -> resources(t).remove("EgressDynamoDbEndpoint"));
            breaks(staticEgress, t -> props(t, "EgressNatGatewayB").put("SubnetId", single("Ref", "EgressPrivateSubnetB")));
            breaks(staticEgress, t -> map(t.get("Outputs"), "Outputs").remove("EgressIps"));
            Consumer<Map<String, Object>> defaultMode = t -> Invariants.egressModeDeploysItsNetwork(t, "default", EGRESS_MODES.get("default"));
            breaks(defaultMode, t -> resources(t).remove("DeliveryOutsideVpcPolicy"));
            breaks(defaultMode, t -> map(resources(t).get("EgressVpc"), "EgressVpc").remove("Condition"));
        }

        @Test
        void privateCidrsWithoutTheRuleOrWithADifferentOne() {
            breaks(Invariants::privateCidrsNeedAVpc, t -> map(t.get("Rules"), "Rules").remove("PrivateCidrsNeedAVpc"));
            breaks(Invariants::privateCidrsNeedAVpc, t -> map(list(map(map(t.get("Rules"), "Rules").get("PrivateCidrsNeedAVpc"), "rule")
                    .get("Assertions"), "Assertions").get(0), "assertion").put("Assert", single("Fn::Equals", List.of("a", "a"))));
            breaks(Invariants::egressModesExcludeEachOther, t -> map(t.get("Rules"), "Rules").remove("OneEgressMode"));
            breaks(Invariants::egressModesExcludeEachOther, t -> map(t.get("Rules"), "Rules").remove("EgressIpsNeedTheirVpc"));
        }

        @Test
        void outputMissing() {
            breaks(Invariants::outputsPresent, t -> map(t.get("Outputs"), "Outputs").remove("DeadLetterQueueArn"));
        }

        private void breaks(Consumer<Map<String, Object>> invariant, Consumer<Map<String, Object>> breakage) {
            Map<String, Object> template = load(TEMPLATE);
            invariant.accept(template); // holds before
            breakage.accept(template);
            assertThatThrownBy(() -> invariant.accept(template)).isInstanceOf(AssertionError.class);
        }

        private Map<String, Object> globalFunction(Map<String, Object> t) {
            return map(map(t.get("Globals"), "Globals").get("Function"), "Globals.Function");
        }

        private Map<String, Object> environment(Map<String, Object> functionProps) {
            return map(map(functionProps.get("Environment"), "Environment").get("Variables"), "Variables");
        }

        private Map<String, Object> sqsEventProperties(Map<String, Object> t) {
            return Invariants.sqsEvent(t);
        }

        private Map<String, Object> secretStatement(Map<String, Object> t, String function, String action) {
            for (Map<String, Object> s : Invariants.statements(props(t, function))) {
                if (strings(s.get("Action")).contains(action)) {
                    return s;
                }
            }
            throw new AssertionError(function + " has no statement with " + action);
        }

        private Map<String, Object> renamed(Map<String, Object> t, String from, String to) {
            Map<String, Object> resources = resources(t);
            Map<String, Object> copy = new LinkedHashMap<>();
            resources.forEach((k, v) -> copy.put(k.equals(from) ? to : k, v));
            t.put("Resources", copy);
            return t;
        }
    }

    // ---- the invariants themselves ------------------------------------------------------------------

    static final class Invariants {
        static final String DELIVERY_FUNCTION = "DeliveryFunction";

        static void visibilityTimeoutCoversSixDeliveryTimeouts(Map<String, Object> t) {
            String queue = deliveriesQueue(t);
            Object visibility = props(t, queue).get("VisibilityTimeout");
            Object timeout = effective(t, DELIVERY_FUNCTION, "Timeout");
            assertThat(visibility).as("%s VisibilityTimeout", queue).isInstanceOf(Integer.class);
            assertThat(timeout).as("%s Timeout", DELIVERY_FUNCTION).isInstanceOf(Integer.class);
            Object window = map(map(t.get("Parameters"), "Parameters").get("DeliveryBatchingWindowSeconds"), "window").get("MaxValue");
            assertThat(window).as("DeliveryBatchingWindowSeconds MaxValue").isInstanceOf(Integer.class);
            assertThat((Integer) visibility)
                    .as("%s VisibilityTimeout must be at least 6 x %s Timeout (%s s), Lambda's rule for SQS sources, plus the "
                            + "largest batching window (%s s), during which received messages wait", queue, DELIVERY_FUNCTION, timeout, window)
                    .isGreaterThanOrEqualTo(6 * (Integer) timeout + (Integer) window);
        }

        /**
         * Signet counts attempts in the message; SQS's maxReceiveCount only catches a message that fails
         * every invocation, so it is well above the attempts, and the functions know it (the worker
         * refreshes a message at half of it). The worker moves exhausted deliveries to the DLQ itself.
         */
        static void receiveCountIsASafetyNetAboveTheAttempts(Map<String, Object> t) {
            String queue = deliveriesQueue(t);
            Map<String, Object> redrive = map(props(t, queue).get("RedrivePolicy"), queue + " RedrivePolicy");
            Object receives = redrive.get("maxReceiveCount");
            assertThat(receives).as("%s maxReceiveCount", queue).isInstanceOf(Integer.class);
            Object attempts = map(map(t.get("Parameters"), "Parameters").get("MaxAttempts"), "MaxAttempts").get("Default");
            assertThat((Integer) receives).as("maxReceiveCount well above MaxAttempts (%s)", attempts)
                    .isGreaterThanOrEqualTo(10 * (Integer) attempts).isLessThanOrEqualTo(1000);
            assertThat(environment(globalFunction(t)).get("SIGNET_MAX_RECEIVES")).as("SIGNET_MAX_RECEIVES")
                    .isEqualTo(String.valueOf(receives));
            String dlqName = strings(map(redrive.get("deadLetterTargetArn"), "arn").get("Fn::GetAtt")).get(0);
            assertThat(environment(props(t, DELIVERY_FUNCTION)).get("SIGNET_DEAD_LETTER_QUEUE_URL")).as("SIGNET_DEAD_LETTER_QUEUE_URL")
                    .isEqualTo(single("Ref", dlqName));
            assertThat(statements(props(t, DELIVERY_FUNCTION))).as("%s may send to the DLQ", DELIVERY_FUNCTION).anySatisfy(st -> {
                assertThat(strings(st.get("Action"))).contains("sqs:SendMessage");
                assertThat(listOf(st.get("Resource"))).contains(single("Fn::GetAtt", List.of(dlqName, "Arn")));
            });
            Object dlq = redrive.get("deadLetterTargetArn");
            assertThat(dlq).as("%s deadLetterTargetArn", queue).isInstanceOf(Map.class);
            List<String> getAtt = strings(map(dlq, "deadLetterTargetArn").get("Fn::GetAtt"));
            assertThat(getAtt).as("deadLetterTargetArn is !GetAtt <queue>.Arn").hasSize(2).endsWith("Arn");
            assertThat(type(resources(t).get(getAtt.get(0)))).as("the dead-letter target").isEqualTo("AWS::SQS::Queue");

            Map<String, Object> parameters = map(t.get("Parameters"), "Parameters");
            String schedule = String.valueOf(map(parameters.get("RetrySchedule"), "RetrySchedule").get("Default"));
            Object maxAttempts = map(parameters.get("MaxAttempts"), "MaxAttempts").get("Default");
            assertThat(maxAttempts).as("MaxAttempts default must be the RetrySchedule default's delays + 1 (%s)", schedule)
                    .isEqualTo(schedule.split(",").length + 1);
            assertThat(environment(globalFunction(t)).get("SIGNET_MAX_ATTEMPTS")).as("SIGNET_MAX_ATTEMPTS").isEqualTo(single("Ref", "MaxAttempts"));
            assertThat(environment(globalFunction(t)).get("SIGNET_RETRY_SCHEDULE")).as("SIGNET_RETRY_SCHEDULE").isEqualTo(single("Ref", "RetrySchedule"));
        }

        static void deliveryConcurrencyReservedAndThrottlesAlarmed(Map<String, Object> t) {
            Object reserved = map(map(t.get("Parameters"), "Parameters").get("DeliveryReservedConcurrency"), "DeliveryReservedConcurrency")
                    .get("Default");
            Object max = map(sqsEvent(t).get("ScalingConfig"), "ScalingConfig").get("MaximumConcurrency");
            assertThat(reserved).as("reserved concurrency by default: the event source's maximum concurrency").isEqualTo(max);
            assertThat(props(t, DELIVERY_FUNCTION).get("ReservedConcurrentExecutions")).as("%s ReservedConcurrentExecutions", DELIVERY_FUNCTION)
                    .isEqualTo(single("Fn::If", List.of("ReservesDeliveryConcurrency", single("Ref", "DeliveryReservedConcurrency"),
                            single("Ref", "AWS::NoValue"))));
            assertThat(ofType(t, "AWS::CloudWatch::Alarm")).as("an alarm on DynamoDB write throttling").anySatisfy(alarm ->
                    assertThat(String.valueOf(props(t, alarm).get("Metrics"))).contains("WriteThrottleEvents").contains("EventsTable"));
        }

        static void everyFunctionKeptWarm(Map<String, Object> t) {
            for (String f : functions(t)) {
                List<Map<String, Object>> schedules = new ArrayList<>();
                for (Object event : map(props(t, f).get("Events"), f + " Events").values()) {
                    if ("ScheduleV2".equals(map(event, "event").get("Type"))) {
                        schedules.add(map(map(event, "event").get("Properties"), "Properties"));
                    }
                }
                assertThat(schedules).as("%s: a weekly keep-warm schedule (a SnapStart version idle for 14 days goes inactive)", f)
                        .anySatisfy(p -> {
                            assertThat(p.get("ScheduleExpression")).isEqualTo("rate(7 days)");
                            assertThat(String.valueOf(p.get("Input"))).contains("signet_keep_warm");
                        });
            }
        }

        static void redriveAllowPolicyHasNoCycle(Map<String, Object> t) {
            String queue = deliveriesQueue(t);
            String dlq = strings(map(map(props(t, queue).get("RedrivePolicy"), "RedrivePolicy").get("deadLetterTargetArn"), "arn")
                    .get("Fn::GetAtt")).get(0);
            Object allow = props(t, dlq).get("RedriveAllowPolicy");
            assertThat(allow).as("%s RedriveAllowPolicy", dlq).isNotNull();
            assertThat(references(allow)).as("%s RedriveAllowPolicy must not refer to %s (Ref/GetAtt/Sub): that is a cycle, "
                    + "as %s's RedrivePolicy already refers to %s", dlq, queue, queue, dlq).doesNotContain(queue);
            Map<String, Object> policy = map(allow, "RedriveAllowPolicy");
            if ("byQueue".equals(policy.get("redrivePermission"))) {
                Object name = props(t, queue).get("QueueName");
                assertThat(name).as("%s needs a fixed QueueName so the DLQ can name its ARN", queue).isInstanceOf(Map.class);
                String nameSub = String.valueOf(map(name, "QueueName").get("Fn::Sub"));
                List<Object> sources = list(policy.get("sourceQueueArnList"), "sourceQueueArnList");
                assertThat(sources).as("sourceQueueArnList").anySatisfy(arn -> assertThat(String.valueOf(map(arn, "arn").get("Fn::Sub")))
                        .as("a source queue ARN naming %s", queue)
                        .startsWith("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:")
                        .endsWith(":" + nameSub));
            } else {
                assertThat(policy.get("redrivePermission")).as("redrivePermission").isEqualTo("allowAll");
            }
        }

        static void noDependencyCycle(Map<String, Object> t) {
            Map<String, Set<String>> graph = dependencies(t);
            Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
            for (String start : graph.keySet()) {
                List<String> cycle = findCycle(start, graph, state, new ArrayList<>());
                if (cycle != null) {
                    fail("dependency cycle: " + String.join(" -> ", cycle));
                }
            }
        }

        static void functionsRunJava25OnArm64WithSnapStart(Map<String, Object> t) {
            List<String> functions = functions(t);
            assertThat(functions).as("functions").contains("IngestFunction", DELIVERY_FUNCTION, "ManagementFunction");
            for (String f : functions) {
                assertThat(effective(t, f, "Runtime")).as("%s Runtime", f).isEqualTo("java25");
                assertThat(effective(t, f, "Architectures")).as("%s Architectures", f).isEqualTo(List.of("arm64"));
                Object snapStart = effective(t, f, "SnapStart");
                assertThat(snapStart).as("%s SnapStart", f).isInstanceOf(Map.class);
                assertThat(map(snapStart, "SnapStart").get("ApplyOn")).as("%s SnapStart.ApplyOn", f).isEqualTo("PublishedVersions");
                assertThat(effective(t, f, "AutoPublishAlias")).as("%s AutoPublishAlias (SnapStart only applies to published versions)", f)
                        .isInstanceOf(String.class).asString().isNotBlank();
                // With SnapStart the java25 runtime keeps the full tiered compiler and the priming compiles the hot
                // path before the snapshot; stopping at C1 would throw the C2 code away (BENCHMARKS.md, "C1 or C2").
                for (Object options : List.of(String.valueOf(environment(globalFunction(t)).get("JAVA_TOOL_OPTIONS")),
                        String.valueOf(environment(props(t, f)).get("JAVA_TOOL_OPTIONS")))) {
                    assertThat(String.valueOf(options)).as("%s JAVA_TOOL_OPTIONS", f).doesNotContain("TieredStopAtLevel");
                }
            }
        }

        /**
         * API Gateway's HTTP API ends a request at 30 s (its integration timeout's maximum): a function
         * that runs on would keep working for a caller already told 503.
         */
        static void apiFunctionsEndBeforeTheGateway(Map<String, Object> t) {
            List<String> behindTheApi = new ArrayList<>();
            for (String f : functions(t)) {
                for (Object event : map(props(t, f).getOrDefault("Events", Map.of()), f + " Events").values()) {
                    if ("HttpApi".equals(map(event, "event").get("Type")) && !behindTheApi.contains(f)) {
                        behindTheApi.add(f);
                    }
                }
            }
            assertThat(behindTheApi).as("functions behind the HTTP API").contains("IngestFunction", "ManagementFunction");
            for (String f : behindTheApi) {
                Object timeout = effective(t, f, "Timeout");
                assertThat(timeout).as("%s Timeout (SAM's default is 3 s; set it)", f).isInstanceOf(Integer.class);
                assertThat((Integer) timeout).as("%s Timeout must end before API Gateway's 30 s", f).isLessThan(30);
            }
        }

        static void deliveryReportsBatchItemFailures(Map<String, Object> t) {
            Map<String, Object> sqs = sqsEvent(t);
            assertThat(strings(sqs.get("FunctionResponseTypes"))).as("%s SQS event FunctionResponseTypes", DELIVERY_FUNCTION)
                    .contains("ReportBatchItemFailures");
            assertThat(sqs.get("ScalingConfig")).as("%s SQS event ScalingConfig", DELIVERY_FUNCTION).isInstanceOf(Map.class);
            assertThat(map(sqs.get("ScalingConfig"), "ScalingConfig").get("MaximumConcurrency")).as("MaximumConcurrency")
                    .isInstanceOf(Integer.class);
            assertThat((Integer) sqs.get("BatchSize")).as("BatchSize").isBetween(1, 10);
        }

        /**
         * The tables are on demand by default. With TableCapacity=provisioned every table and every index gets
         * capacity, and its read and its write capacity a scalable target between the parameters' bounds with a
         * target-tracking policy on the matching utilization metric: nothing is left at a fixed capacity that
         * throttles as traffic grows. Either way items expire by TTL.
         */
        static void pointInTimeRecovery(Map<String, Object> t) {
            for (String choice : List.of("true", "false")) {
                Deployment d = new Deployment(t, Map.of("EventsPointInTimeRecovery", choice));
                assertThat(map(map(d.resolve(props(t, "ConfigTable")), "ConfigTable").get("PointInTimeRecoverySpecification"), "PITR")
                        .get("PointInTimeRecoveryEnabled")).as("the config table's PITR with EventsPointInTimeRecovery=%s", choice).isEqualTo(true);
                assertThat(map(map(d.resolve(props(t, "EventsTable")), "EventsTable").get("PointInTimeRecoverySpecification"), "PITR")
                        .get("PointInTimeRecoveryEnabled")).as("the events table's PITR with EventsPointInTimeRecovery=%s", choice)
                        .isEqualTo(choice.equals("true"));
            }
            assertThat(new Deployment(t, Map.of()).condition("EventsTableRecoverable")).as("on by default").isTrue();
        }

        static void tablesOnDemandOrAutoScaledWithTtl(Map<String, Object> t) {
            assertThat(map(map(t.get("Parameters"), "Parameters").get("TableCapacity"), "TableCapacity").get("Default"))
                    .as("TableCapacity default").isEqualTo("on-demand");
            List<String> tables = ofType(t, "AWS::DynamoDB::Table");
            assertThat(tables).as("tables").contains("ConfigTable", "EventsTable");
            for (String mode : List.of("on-demand", "provisioned")) {
                Deployment d = new Deployment(t, Map.of("TableCapacity", mode));
                boolean provisioned = mode.equals("provisioned");
                // "table/${Table}" or "table/${Table}/index/name" -> the dimensions scaled there, each with its policy's metric
                Map<String, Map<String, String>> scaled = new LinkedHashMap<>();
                for (String target : d.resources()) {
                    if (!"AWS::ApplicationAutoScaling::ScalableTarget".equals(type(resources(t).get(target)))) {
                        continue;
                    }
                    Map<String, Object> p = props(t, target);
                    assertThat(p.get("ServiceNamespace")).as(target).isEqualTo("dynamodb");
                    assertThat(p.get("MinCapacity")).as("%s MinCapacity", target).isEqualTo(single("Ref", "ProvisionedCapacityMin"));
                    assertThat(p.get("MaxCapacity")).as("%s MaxCapacity", target).isEqualTo(single("Ref", "ProvisionedCapacityMax"));
                    String metric = null;
                    for (String policy : d.resources()) {
                        if (!"AWS::ApplicationAutoScaling::ScalingPolicy".equals(type(resources(t).get(policy)))) {
                            continue;
                        }
                        Map<String, Object> pp = props(t, policy);
                        if (single("Ref", target).equals(pp.get("ScalingTargetId"))) {
                            assertThat(pp.get("PolicyType")).as(policy).isEqualTo("TargetTrackingScaling");
                            Map<String, Object> tracking = map(pp.get("TargetTrackingScalingPolicyConfiguration"), policy);
                            assertThat(tracking.get("TargetValue")).as(policy).isEqualTo(single("Ref", "ProvisionedTargetUtilization"));
                            metric = String.valueOf(map(tracking.get("PredefinedMetricSpecification"), policy).get("PredefinedMetricType"));
                        }
                    }
                    scaled.computeIfAbsent(String.valueOf(map(p.get("ResourceId"), target + " ResourceId").get("Fn::Sub")),
                            k -> new LinkedHashMap<>()).put(String.valueOf(p.get("ScalableDimension")), metric);
                }
                if (!provisioned) {
                    assertThat(scaled).as("on demand: nothing auto scaled").isEmpty();
                }
                for (String table : tables) {
                    Map<String, Object> p = map(d.resolve(props(t, table)), table);
                    assertThat(p.get("BillingMode")).as("%s BillingMode (%s)", table, mode).isEqualTo(provisioned ? "PROVISIONED" : "PAY_PER_REQUEST");
                    Map<String, String> scopes = new LinkedHashMap<>();
                    scopes.put("table/${" + table + "}", "table");
                    assertThat(p.containsKey("ProvisionedThroughput")).as("%s ProvisionedThroughput (%s)", table, mode).isEqualTo(provisioned);
                    for (Object g : listOf(p.get("GlobalSecondaryIndexes"))) {
                        String index = String.valueOf(map(g, "GSI").get("IndexName"));
                        assertThat(map(g, "GSI").containsKey("ProvisionedThroughput")).as("%s %s ProvisionedThroughput (%s)", table, index, mode)
                                .isEqualTo(provisioned);
                        scopes.put("table/${" + table + "}/index/" + index, "index");
                    }
                    if (provisioned) {
                        scopes.forEach((resourceId, kind) -> assertThat(scaled.get(resourceId))
                                .as("%s: read and write capacity auto scaled, each on its own utilization", resourceId)
                                .isEqualTo(Map.of("dynamodb:" + kind + ":ReadCapacityUnits", "DynamoDBReadCapacityUtilization",
                                        "dynamodb:" + kind + ":WriteCapacityUnits", "DynamoDBWriteCapacityUtilization")));
                    }
                }
            }
            for (String table : tables) {
                Map<String, Object> p = props(t, table);
                Map<String, Object> ttl = map(p.get("TimeToLiveSpecification"), table + " TimeToLiveSpecification");
                assertThat(ttl.get("AttributeName")).as("%s TTL attribute", table).isEqualTo("ttl");
                assertThat(ttl.get("Enabled")).as("%s TTL enabled", table).isEqualTo(true);
                assertThat(keySchema(p.get("KeySchema"))).as("%s KeySchema", table).containsExactly("pk HASH", "sk RANGE");
            }
        }

        /**
         * Each function logs to a log group of its own that the template declares with a retention
         * (LogRetentionDays, 30 days by default): Lambda's default group would be kept, and billed, forever.
         */
        static void functionsLogToGroupsWithRetention(Map<String, Object> t) {
            assertThat(map(map(t.get("Parameters"), "Parameters").get("LogRetentionDays"), "LogRetentionDays").get("Default"))
                    .as("LogRetentionDays default").isEqualTo(30);
            Set<String> groups = new LinkedHashSet<>();
            for (String f : functions(t)) {
                Map<String, Object> logging = new LinkedHashMap<>(map(globalFunction(t).getOrDefault("LoggingConfig", Map.of()), "Globals LoggingConfig"));
                logging.putAll(map(props(t, f).getOrDefault("LoggingConfig", Map.of()), f + " LoggingConfig"));
                assertThat(logging.get("LogFormat")).as("%s LogFormat", f).isEqualTo("JSON");
                Object group = logging.get("LogGroup");
                assertThat(group).as("%s LoggingConfig.LogGroup", f).isInstanceOf(Map.class);
                String name = String.valueOf(map(group, f + " LogGroup").get("Ref"));
                assertThat(type(resources(t).get(name))).as("%s logs to %s", f, name).isEqualTo("AWS::Logs::LogGroup");
                assertThat(props(t, name).get("RetentionInDays")).as("%s RetentionInDays", name).isEqualTo(single("Ref", "LogRetentionDays"));
                assertThat(map(resources(t).get(name), name).get("Condition")).as("%s exists in every deployment", name).isNull();
                groups.add(name);
            }
            assertThat(groups).as("one log group per function").hasSameSizeAs(functions(t));
        }

        /** The events table's indexes as template.yaml and local mode declare them: the same names, keys and projections. */
        static void eventsTableHasDeliveryLogIndexes(Map<String, Object> t) {
            Map<String, Object> p = props(t, "EventsTable");
            Map<String, Map<String, Object>> gsis = new LinkedHashMap<>();
            for (Object g : list(p.get("GlobalSecondaryIndexes"), "GlobalSecondaryIndexes")) {
                gsis.put(String.valueOf(map(g, "GSI").get("IndexName")), map(g, "GSI"));
            }
            Map<String, List<String>> keys = Map.of(
                    EventsTable.BY_WORKSPACE, List.of("gsi1pk HASH", "gsi1sk RANGE"),
                    EventsTable.BY_ENDPOINT, List.of("gsi2pk HASH", "gsi2sk RANGE"),
                    EventsTable.MISSED, List.of("gsi3pk HASH", "gsi3sk RANGE"));
            Map<String, List<String>> projected = Map.of(
                    EventsTable.BY_WORKSPACE, EventsTable.LOG_INDEX_ATTRIBUTES,
                    EventsTable.BY_ENDPOINT, EventsTable.LOG_INDEX_ATTRIBUTES,
                    EventsTable.MISSED, EventsTable.MISSED_INDEX_ATTRIBUTES);
            assertThat(gsis).as("EventsTable GSIs").containsOnlyKeys(keys.keySet());
            Map<String, GlobalSecondaryIndex> local = new LinkedHashMap<>();
            LocalResources.eventsTableDefinition("events").globalSecondaryIndexes().forEach(i -> local.put(i.indexName(), i));
            assertThat(local).as("local mode's indexes").containsOnlyKeys(keys.keySet());
            for (var e : gsis.entrySet()) {
                String name = e.getKey();
                assertThat(keySchema(e.getValue().get("KeySchema"))).as(name).containsExactlyElementsOf(keys.get(name));
                assertThat(local.get(name).keySchema()).extracting(k -> k.attributeName() + " " + k.keyTypeAsString()).as("local " + name)
                        .containsExactlyElementsOf(keys.get(name));
                Map<String, Object> projection = map(e.getValue().get("Projection"), name + " Projection");
                // What the adapters read from an index, and what local mode creates: never a body or a payload.
                assertThat(projection.get("ProjectionType")).as("%s projection", name).isEqualTo("INCLUDE");
                assertThat(local.get(name).projection().projectionType()).as("local %s projection", name).isEqualTo(ProjectionType.INCLUDE);
                assertThat(strings(projection.get("NonKeyAttributes"))).as("%s NonKeyAttributes", name)
                        .containsExactlyInAnyOrderElementsOf(projected.get(name))
                        .containsExactlyInAnyOrderElementsOf(local.get(name).projection().nonKeyAttributes())
                        .doesNotContain("response_body", "payload");
            }
            List<String> defined = new ArrayList<>();
            for (Object a : list(p.get("AttributeDefinitions"), "AttributeDefinitions")) {
                defined.add(map(a, "attribute").get("AttributeName") + " " + map(a, "attribute").get("AttributeType"));
            }
            assertThat(defined).as("EventsTable AttributeDefinitions (exactly the key attributes)")
                    .containsExactlyInAnyOrder("pk S", "sk S", "gsi1pk S", "gsi1sk S", "gsi2pk S", "gsi2sk S", "gsi3pk S", "gsi3sk S");
        }

        /**
         * Two secrets per deployment, both under the stack's prefix: the admin key and the key-encryption
         * key of endpoint credentials. The functions only read them (the management function both, the
         * delivery function only the key-encryption key); the one other grant is the upgrade policy's
         * read of 0.1 endpoints' own secrets, present only with LegacyEndpointSecrets=read.
         */
        static void secretsStayUnderStackPrefix(Map<String, Object> t) {
            Object adminName = props(t, "AdminKeySecret").get("Name");
            assertThat(adminName).as("AdminKeySecret Name").isEqualTo(single("Fn::Sub", "signet/${AWS::StackName}/admin-key"));
            Map<String, Object> keyResource = map(resources(t).get("CredentialKeySecret"), "CredentialKeySecret");
            assertThat(keyResource.get("DeletionPolicy")).as("the key is kept with the config table it opens").isEqualTo("Retain");
            assertThat(keyResource.get("UpdateReplacePolicy")).isEqualTo("Retain");
            Map<String, Object> key = props(t, "CredentialKeySecret");
            assertThat(key.get("Name")).as("CredentialKeySecret Name").isEqualTo(single("Fn::Sub", "signet/${AWS::StackName}/credential-key"));
            Map<String, Object> generated = map(key.get("GenerateSecretString"), "CredentialKeySecret GenerateSecretString");
            assertThat(generated.get("SecretStringTemplate")).as("the key set names its current key").isEqualTo("{\"current\":\"k1\"}");
            assertThat(generated.get("GenerateStringKey")).isEqualTo("k1");
            assertThat(((Number) generated.get("PasswordLength")).intValue()).as("key material length").isGreaterThanOrEqualTo(43);
            List<Object> readable = List.of(single("Ref", "AdminKeySecret"), single("Ref", "CredentialKeySecret"));
            Map<String, Set<Object>> read = new LinkedHashMap<>();
            for (String f : functions(t)) {
                for (Object policy : list(props(t, f).getOrDefault("Policies", List.of()), f + " Policies")) {
                    if (policy instanceof String name) {
                        assertThat(name).as("%s managed policy %s", f, name).doesNotContainIgnoringCase("secret");
                    } else if (!map(policy, "policy").containsKey("Statement")) {
                        assertThat(map(policy, "policy").keySet()).as("%s SAM policy templates", f).noneMatch(k -> k.contains("Secret"));
                    }
                }
                for (Map<String, Object> s : statements(props(t, f))) {
                    List<String> actions = strings(s.get("Action"));
                    assertThat(actions).as("%s actions", f).doesNotContain("*");
                    List<String> secretActions = actions.stream().filter(a -> a.startsWith("secretsmanager:")).toList();
                    if (secretActions.isEmpty()) {
                        continue;
                    }
                    assertThat(secretActions).as("%s may only read secrets", f).containsOnly("secretsmanager:GetSecretValue");
                    for (Object resource : listOf(s.get("Resource"))) {
                        assertThat(readable).as("%s reads only the admin key or the key-encryption key", f).contains(resource);
                        read.computeIfAbsent(f, x -> new LinkedHashSet<>()).add(resource);
                    }
                }
            }
            assertThat(read.get("DeliveryFunction")).as("the delivery function reads only the key-encryption key")
                    .containsExactly(single("Ref", "CredentialKeySecret"));
            assertThat(read.get("ManagementFunction")).containsExactlyInAnyOrderElementsOf(readable);
            assertThat(read).as("only delivery and management read secrets").containsOnlyKeys("DeliveryFunction", "ManagementFunction");
            for (var r : resources(t).entrySet()) {
                if (!type(r.getValue()).equals("AWS::IAM::Policy")) {
                    continue;
                }
                Map<String, Object> resource = map(r.getValue(), r.getKey());
                for (Object st : list(map(map(resource.get("Properties"), r.getKey()).get("PolicyDocument"), "PolicyDocument").get("Statement"),
                        "Statement")) {
                    Map<String, Object> statement = map(st, "statement");
                    List<String> secretActions = strings(statement.get("Action")).stream().filter(a -> a.startsWith("secretsmanager:")).toList();
                    if (secretActions.isEmpty()) {
                        continue;
                    }
                    assertThat(resource.get("Condition")).as("%s grants secrets only while upgrading", r.getKey()).isEqualTo("ReadsLegacyEndpointSecrets");
                    assertThat(secretActions).as("%s may only read secrets", r.getKey()).containsOnly("secretsmanager:GetSecretValue");
                    assertThat(statement.get("Resource")).as("%s: 0.1 endpoint secrets only", r.getKey())
                            .isEqualTo(single("Fn::Sub", STACK_SECRET_ARN_PREFIX + "endpoints/*"));
                }
            }
        }

        static void functionsBuiltByMakefile(Map<String, Object> t, String makefile) {
            for (String f : functions(t)) {
                Map<String, Object> metadata = map(map(resources(t).get(f), f).get("Metadata"), f + " Metadata");
                assertThat(metadata.get("BuildMethod")).as("%s Metadata.BuildMethod", f).isEqualTo("makefile");
                assertThat(props(t, f).get("CodeUri")).as("%s CodeUri (the directory of the Makefile)", f).isEqualTo(".");
                assertThat(Pattern.compile("(?m)^build-" + Pattern.quote(f) + ":").matcher(makefile).find())
                        .as("Makefile has a target build-%s", f).isTrue();
            }
        }

        /**
         * Each route a function's router serves has an HttpApi event on that function whose path is the
         * route (or a {@code {proxy+}} prefix of it) and whose method is the route's or ANY: a route the
         * code serves but the template does not route is a 404 from API Gateway in AWS only.
         */
        static void routesReachTheirFunctions(Map<String, Object> t, Map<String, List<String>> served) {
            assertThat(served).as("routes served (so this check is not vacuous)").isNotEmpty();
            served.forEach((function, routes) -> {
                List<Map<String, Object>> apiEvents = new ArrayList<>();
                for (Object event : map(props(t, function).getOrDefault("Events", Map.of()), function + " Events").values()) {
                    if ("HttpApi".equals(map(event, "event").get("Type"))) {
                        apiEvents.add(map(map(event, "event").get("Properties"), "HttpApi event Properties"));
                    }
                }
                for (String route : routes) {
                    String method = route.substring(0, route.indexOf(' '));
                    String path = route.substring(route.indexOf(' ') + 1);
                    assertThat(apiEvents).as("%s: an HttpApi event routing %s", function, route).anySatisfy(e -> {
                        assertThat(String.valueOf(e.get("Method"))).isIn("ANY", method);
                        String eventPath = String.valueOf(e.get("Path"));
                        if (eventPath.endsWith("/{proxy+}")) {
                            assertThat(path).startsWith(eventPath.substring(0, eventPath.length() - "{proxy+}".length()));
                        } else {
                            assertThat(path).isEqualTo(eventPath);
                        }
                    });
                }
            });
        }

        /**
         * One egress mode, deployed with its parameter set: the rules pass, and the delivery function runs
         * where the mode says, with GET /v1/egress fed the addresses deliveries really leave from.
         */
        static void egressModeDeploysItsNetwork(Map<String, Object> t, String mode, Map<String, String> parameters) {
            Deployment d = new Deployment(t, parameters);
            assertThat(d.failingRules()).as("%s: rules", mode).isEmpty();
            Object vpc = d.resolve(props(t, DELIVERY_FUNCTION).get("VpcConfig"));
            Object egressIps = d.resolve(environment(props(t, "ManagementFunction")).get("SIGNET_EGRESS_IPS"));
            List<String> ec2 = d.resources().stream().filter(r -> type(resources(t).get(r)).startsWith("AWS::EC2::")).toList();
            Map<String, Object> outputs = d.outputs();
            switch (mode) {
                case "default" -> {
                    assertThat(vpc).as("default: the delivery function in no VPC").isNull();
                    assertThat(ec2).as("default: no network resources").isEmpty();
                    assertThat(egressIps).as("default: GET /v1/egress answers []").isEqualTo(single("Ref", "EgressIps"));
                    assertThat(parameters.getOrDefault("EgressIps", "")).isEmpty();
                    assertThat(outputs).doesNotContainKey("EgressIps");
                    // SAM attaches AWSLambdaVPCAccessExecutionRole for any VpcConfig, even an !If that comes to none.
                    Map<String, Object> deny = props(t, d.resources().stream()
                            .filter(r -> type(resources(t).get(r)).equals("AWS::IAM::Policy")).findFirst()
                            .orElseThrow(() -> new AssertionError("default: a policy taking the network-interface permissions away")));
                    assertThat(listOf(deny.get("Roles"))).as("on the role SAM makes for the function").contains(single("Ref", DELIVERY_FUNCTION + "Role"));
                    assertThat(list(map(deny.get("PolicyDocument"), "PolicyDocument").get("Statement"), "Statement")).anySatisfy(st -> {
                        assertThat(map(st, "statement").get("Effect")).isEqualTo("Deny");
                        assertThat(strings(map(st, "statement").get("Action"))).contains("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface");
                    });
                }
                case "own-vpc" -> {
                    Map<String, Object> config = map(vpc, "own-vpc: VpcConfig");
                    assertThat(references(config.get("SubnetIds"))).as("own-vpc: the subnets given").containsExactly("DeliverySubnetIds");
                    assertThat(references(config.get("SecurityGroupIds"))).containsExactly("DeliverySecurityGroupIds");
                    assertThat(ec2).as("own-vpc: the stack creates no network").isEmpty();
                    assertThat(d.resources()).noneMatch(r -> type(resources(t).get(r)).equals("AWS::IAM::Policy"));
                    assertThat(egressIps).as("own-vpc: GET /v1/egress shows EgressIps").isEqualTo(single("Ref", "EgressIps"));
                    assertThat(parameters.get("EgressIps")).isNotBlank();
                    assertThat(outputs).containsKey("EgressIps");
                }
                case "static-egress" -> staticEgressNetwork(t, d, map(vpc, "static-egress: VpcConfig"), egressIps, outputs);
                default -> fail("unknown egress mode " + mode);
            }
        }

        /** Two zones; in each, the function's private subnet routes through a NAT gateway with an Elastic IP in a public subnet. */
        private static void staticEgressNetwork(Map<String, Object> t, Deployment d, Map<String, Object> vpc, Object egressIps,
                                                Map<String, Object> outputs) {
            List<String> subnets = listOf(vpc.get("SubnetIds")).stream().map(s -> refTo(s, "VpcConfig.SubnetIds")).toList();
            assertThat(subnets).as("static-egress: private subnets in two zones").hasSize(2);
            assertThat(listOf(vpc.get("SecurityGroupIds"))).hasSize(1)
                    .allSatisfy(g -> assertThat(type(resources(t).get(refTo(g, "SecurityGroupIds")))).isEqualTo("AWS::EC2::SecurityGroup"));
            Set<Object> zones = new LinkedHashSet<>();
            List<String> natIps = new ArrayList<>();
            Set<String> privateTables = new LinkedHashSet<>();
            for (String subnet : subnets) {
                assertThat(d.resources()).contains(subnet);
                Map<String, Object> sp = props(t, subnet);
                zones.add(sp.get("AvailabilityZone"));
                String table = routeTableOf(t, d, subnet);
                privateTables.add(table);
                Map<String, Object> route = defaultRoute(t, d, table);
                assertThat(route).as("%s's default route goes through a NAT gateway only", subnet).doesNotContainKey("GatewayId");
                String nat = refTo(route.get("NatGatewayId"), subnet + "'s default route (through a NAT gateway)");
                Map<String, Object> natProps = props(t, nat);
                String natSubnet = refTo(natProps.get("SubnetId"), nat + " SubnetId");
                assertThat(props(t, natSubnet).get("AvailabilityZone")).as("%s in the zone of %s", nat, subnet).isEqualTo(sp.get("AvailabilityZone"));
                String publicTable = routeTableOf(t, d, natSubnet);
                assertThat(refTo(defaultRoute(t, d, publicTable).get("GatewayId"), natSubnet + "'s default route"))
                        .as("%s sits in a public subnet (routed to an internet gateway)", nat)
                        .satisfies(g -> assertThat(type(resources(t).get(g))).isEqualTo("AWS::EC2::InternetGateway"));
                String eip = strings(map(natProps.get("AllocationId"), "AllocationId").get("Fn::GetAtt")).get(0);
                assertThat(type(resources(t).get(eip))).as("%s's address", nat).isEqualTo("AWS::EC2::EIP");
                natIps.add(eip);
            }
            assertThat(zones).as("static-egress: two different zones").hasSize(2);
            assertThat(natIps).as("one NAT gateway (and address) per zone").doesNotHaveDuplicates();
            assertThat(d.resources()).as("a DynamoDB gateway endpoint on the private route tables").anySatisfy(r -> {
                assertThat(type(resources(t).get(r))).isEqualTo("AWS::EC2::VPCEndpoint");
                Map<String, Object> ep = props(t, r);
                assertThat(String.valueOf(ep.get("ServiceName"))).contains("dynamodb");
                assertThat(ep.get("VpcEndpointType")).isEqualTo("Gateway");
                assertThat(listOf(ep.get("RouteTableIds")).stream().map(x -> refTo(x, "RouteTableIds")).toList())
                        .containsExactlyInAnyOrderElementsOf(privateTables);
            });
            assertThat(references(egressIps)).as("GET /v1/egress shows the NAT addresses").containsExactlyInAnyOrderElementsOf(natIps);
            assertThat(outputs).containsKey("EgressIps");
            assertThat(references(outputs.get("EgressIps"))).containsExactlyInAnyOrderElementsOf(natIps);
            assertThat(d.resources()).noneMatch(r -> type(resources(t).get(r)).equals("AWS::IAM::Policy"));
        }

        private static String routeTableOf(Map<String, Object> t, Deployment d, String subnet) {
            List<String> tables = d.resources().stream().filter(r -> type(resources(t).get(r)).equals("AWS::EC2::SubnetRouteTableAssociation"))
                    .filter(r -> single("Ref", subnet).equals(props(t, r).get("SubnetId")))
                    .map(r -> refTo(props(t, r).get("RouteTableId"), r + " RouteTableId")).toList();
            assertThat(tables).as("%s has one route table", subnet).hasSize(1);
            return tables.getFirst();
        }

        private static Map<String, Object> defaultRoute(Map<String, Object> t, Deployment d, String table) {
            List<Map<String, Object>> routes = d.resources().stream().filter(r -> type(resources(t).get(r)).equals("AWS::EC2::Route"))
                    .map(r -> props(t, r)).filter(p -> single("Ref", table).equals(p.get("RouteTableId")))
                    .filter(p -> "0.0.0.0/0".equals(p.get("DestinationCidrBlock"))).toList();
            assertThat(routes).as("%s has one default route", table).hasSize(1);
            return routes.getFirst();
        }

        private static String refTo(Object value, String what) {
            assertThat(value).as("%s is a Ref", what).isInstanceOf(Map.class);
            Object ref = map(value, what).get("Ref");
            assertThat(ref).as("%s is a Ref", what).isNotNull();
            return String.valueOf(ref);
        }

        /** AllowPrivateCidrs outside a VPC could never reach a private address: the template refuses it. */
        static void privateCidrsNeedAVpc(Map<String, Object> t) {
            Map<String, String> alone = Map.of("AllowPrivateCidrs", "10.20.0.0/16");
            assertThat(new Deployment(t, alone).failingRules()).as("AllowPrivateCidrs without a VPC").isNotEmpty()
                    .anySatisfy(why -> assertThat(why).contains("AllowPrivateCidrs"));
            for (String mode : List.of("own-vpc", "static-egress")) {
                Map<String, String> withVpc = new HashMap<>(EGRESS_MODES.get(mode));
                withVpc.put("AllowPrivateCidrs", "10.20.0.0/16");
                assertThat(new Deployment(t, withVpc).failingRules()).as("AllowPrivateCidrs in %s", mode).isEmpty();
            }
            assertThat(new Deployment(t, Map.of()).failingRules()).as("the defaults").isEmpty();
        }

        static void egressModesExcludeEachOther(Map<String, Object> t) {
            Map<String, String> both = new HashMap<>(EGRESS_MODES.get("own-vpc"));
            both.put("StaticEgress", "true");
            both.remove("EgressIps");
            assertThat(new Deployment(t, both).failingRules()).as("StaticEgress and your own subnets").isNotEmpty();
            Map<String, String> staticWithIps = new HashMap<>(EGRESS_MODES.get("static-egress"));
            staticWithIps.put("EgressIps", "203.0.113.7");
            assertThat(new Deployment(t, staticWithIps).failingRules()).as("StaticEgress with EgressIps").isNotEmpty();
            assertThat(new Deployment(t, Map.of("EgressIps", "203.0.113.7")).failingRules()).as("EgressIps outside a VPC").isNotEmpty();
            assertThat(new Deployment(t, Map.of("DeliverySubnetIds", "subnet-0a1b2c3d")).failingRules()).as("subnets without security groups")
                    .isNotEmpty();
            assertThat(new Deployment(t, Map.of("DeliverySecurityGroupIds", "sg-0a1b2c3d")).failingRules()).as("security groups without subnets")
                    .isNotEmpty();
        }

        static void outputsPresent(Map<String, Object> t) {
            assertThat(map(t.get("Outputs"), "Outputs")).containsKeys("ApiUrl", "DeliveriesQueueUrl", "DeliveriesQueueArn",
                    "DeadLetterQueueUrl", "DeadLetterQueueArn", "AdminKeySecretArn", "CredentialKeySecretArn", "ConfigTableName",
                    "EventsTableName");
        }

        // -- helpers

        /** The queue the DeliveryFunction consumes (its event source mapping's {@code !GetAtt <queue>.Arn}). */
        static String deliveriesQueue(Map<String, Object> t) {
            List<String> getAtt = strings(map(sqsEvent(t).get("EventSourceArn"), "EventSourceArn").get("Fn::GetAtt"));
            assertThat(getAtt).as("EventSourceArn is !GetAtt <queue>.Arn").hasSize(2);
            return getAtt.get(0);
        }

        /**
         * The properties of the delivery function's one SQS event source: an AWS::Lambda::EventSourceMapping
         * declared by hand, invoking the function's live alias. No function has SAM's {@code Type: SQS}
         * event, which would attach AWSLambdaSQSQueueExecutionRole (receive and delete on every queue).
         */
        static Map<String, Object> sqsEvent(Map<String, Object> t) {
            for (String f : functions(t)) {
                for (Object event : map(props(t, f).getOrDefault("Events", Map.of()), f + " Events").values()) {
                    assertThat(map(event, "event").get("Type")).as("%s: SAM's SQS event grants receive/delete on every queue", f)
                            .isNotEqualTo("SQS");
                }
            }
            List<Map<String, Object>> mappings = new ArrayList<>();
            resources(t).forEach((name, r) -> {
                if ("AWS::Lambda::EventSourceMapping".equals(map(r, name).get("Type"))) {
                    mappings.add(map(map(r, name).get("Properties"), name + " Properties"));
                }
            });
            assertThat(mappings).as("event source mappings").hasSize(1);
            Map<String, Object> mapping = mappings.get(0);
            assertThat(mapping.get("FunctionName")).as("the mapping invokes the live alias, as SAM's event did")
                    .isEqualTo(single("Ref", DELIVERY_FUNCTION + ".Alias"));
            return mapping;
        }

        static Map<String, Object> globalFunction(Map<String, Object> t) {
            return map(map(t.getOrDefault("Globals", Map.of()), "Globals").getOrDefault("Function", Map.of()), "Globals.Function");
        }

        static Map<String, Object> environment(Map<String, Object> functionProps) {
            return map(map(functionProps.getOrDefault("Environment", Map.of()), "Environment").getOrDefault("Variables", Map.of()), "Variables");
        }

        /** A function property as SAM sees it: the function's own value, else the Globals one. */
        static Object effective(Map<String, Object> t, String function, String property) {
            Map<String, Object> p = props(t, function);
            return p.containsKey(property) ? p.get(property) : globalFunction(t).get(property);
        }

        static List<String> functions(Map<String, Object> t) {
            return ofType(t, SERVERLESS_FUNCTION);
        }

        static List<String> ofType(Map<String, Object> t, String type) {
            return resources(t).entrySet().stream().filter(e -> type.equals(type(e.getValue()))).map(Map.Entry::getKey).toList();
        }

        static List<Map<String, Object>> statements(Map<String, Object> functionProps) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object policy : listOf(functionProps.get("Policies"))) {
                if (policy instanceof Map<?, ?> m && m.get("Statement") != null) {
                    for (Object s : listOf(m.get("Statement"))) {
                        out.add(map(s, "Statement"));
                    }
                }
            }
            return out;
        }

        static List<String> keySchema(Object keySchema) {
            List<String> out = new ArrayList<>();
            for (Object k : list(keySchema, "KeySchema")) {
                out.add(map(k, "key").get("AttributeName") + " " + map(k, "key").get("KeyType"));
            }
            return out;
        }

        /**
         * Which resources each resource needs first, as CloudFormation sees it after the SAM transform:
         * Ref, GetAtt, Sub and DependsOn, the Globals of every function, and the API behind each HttpApi/Api
         * event depending on its function (the API's routes integrate it). Function events are not edges of
         * the function itself: SAM turns them into resources of their own.
         */
        static Map<String, Set<String>> dependencies(Map<String, Object> t) {
            Map<String, Object> resources = resources(t);
            Map<String, Set<String>> graph = new LinkedHashMap<>();
            resources.keySet().forEach(id -> graph.put(id, new LinkedHashSet<>()));
            Set<String> fromGlobals = references(globalFunction(t));
            for (var e : resources.entrySet()) {
                String id = e.getKey();
                Map<String, Object> resource = new LinkedHashMap<>(map(e.getValue(), id));
                if (SERVERLESS_FUNCTION.equals(type(resource))) {
                    Map<String, Object> p = new LinkedHashMap<>(map(resource.getOrDefault("Properties", Map.of()), id));
                    Object events = p.remove("Events");
                    resource.put("Properties", p);
                    graph.get(id).addAll(fromGlobals);
                    for (Object event : map(events == null ? Map.of() : events, "Events").values()) {
                        Map<String, Object> ev = map(event, "event");
                        if ("HttpApi".equals(ev.get("Type")) || "Api".equals(ev.get("Type"))) {
                            Map<String, Object> ep = map(ev.getOrDefault("Properties", Map.of()), "event Properties");
                            for (String api : references(ep.getOrDefault("ApiId", ep.getOrDefault("RestApiId", Map.of())))) {
                                graph.computeIfAbsent(api, k -> new LinkedHashSet<>()).add(id);
                            }
                        }
                    }
                }
                graph.get(id).addAll(references(resource));
                graph.get(id).addAll(strings(resource.get("DependsOn")));
            }
            graph.values().forEach(deps -> deps.retainAll(resources.keySet()));
            return graph;
        }

        private static List<String> findCycle(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
            Integer s = state.get(node);
            if (s != null && s == 2) {
                return null;
            }
            path.add(node);
            if (s != null) {
                return new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            }
            state.put(node, 1);
            for (String next : graph.getOrDefault(node, Set.of())) {
                List<String> cycle = findCycle(next, graph, state, path);
                if (cycle != null) {
                    return cycle;
                }
            }
            state.put(node, 2);
            path.remove(path.size() - 1);
            return null;
        }
    }

    /** The parameter sets of the three egress modes, by file name (docs/egress-modes/default.json, …). */
    static final Map<String, Map<String, String>> EGRESS_MODES = egressModes();

    private static Map<String, Map<String, String>> egressModes() {
        Map<String, Map<String, String>> modes = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("docs/egress-modes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (JsonNode p : SamSchema.JSON.readTree(readString(file))) {
                    values.put(p.get("ParameterKey").asString(), p.get("ParameterValue").asString());
                }
                modes.put(file.getFileName().toString().replace(".json", ""), values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(modes).as("docs/egress-modes").containsOnlyKeys("default", "own-vpc", "static-egress");
        return modes;
    }

    /**
     * The template as CloudFormation would deploy it with some parameter values (the rest at their
     * defaults): which conditions hold, which rule assertions fail, which resources exist, and a
     * property with its {@code Fn::If}s decided. Enough of CloudFormation's condition functions for
     * what the template uses (Equals, Not, And, Or, Condition, Ref of a parameter).
     */
    static final class Deployment {
        private final Map<String, Object> template;
        private final Map<String, String> parameters = new HashMap<>();

        Deployment(Map<String, Object> template, Map<String, String> values) {
            this.template = template;
            map(template.get("Parameters"), "Parameters").forEach((name, p) -> {
                Object d = map(p, name).get("Default");
                parameters.put(name, d == null ? null : String.valueOf(d));
            });
            values.forEach((name, v) -> {
                assertThat(parameters).as("parameter %s exists", name).containsKey(name);
                parameters.put(name, v);
            });
        }

        boolean condition(String name) {
            Object c = map(template.getOrDefault("Conditions", Map.of()), "Conditions").get(name);
            assertThat(c).as("condition %s", name).isNotNull();
            return truth(c);
        }

        /** The AssertDescription of every assertion that fails (its rule applying). */
        List<String> failingRules() {
            List<String> failing = new ArrayList<>();
            map(template.getOrDefault("Rules", Map.of()), "Rules").forEach((name, r) -> {
                Map<String, Object> rule = map(r, name);
                if (rule.get("RuleCondition") == null || truth(rule.get("RuleCondition"))) {
                    for (Object a : list(rule.get("Assertions"), name + " Assertions")) {
                        if (!truth(map(a, "assertion").get("Assert"))) {
                            failing.add(name + ": " + map(a, "assertion").get("AssertDescription"));
                        }
                    }
                }
            });
            return failing;
        }

        List<String> resources() {
            return resources(template).entrySet().stream().filter(e -> {
                Object c = map(e.getValue(), e.getKey()).get("Condition");
                return c == null || condition(String.valueOf(c));
            }).map(Map.Entry::getKey).toList();
        }

        Map<String, Object> outputs() {
            Map<String, Object> out = new LinkedHashMap<>();
            map(template.getOrDefault("Outputs", Map.of()), "Outputs").forEach((name, o) -> {
                Object c = map(o, name).get("Condition");
                if (c == null || condition(String.valueOf(c))) {
                    out.put(name, resolve(map(o, name).get("Value")));
                }
            });
            return out;
        }

        /** {@code value} with each {@code Fn::If} decided; null when it comes to {@code AWS::NoValue}. */
        Object resolve(Object value) {
            if (value instanceof Map<?, ?> m) {
                if (m.size() == 1 && m.containsKey("Fn::If")) {
                    List<Object> args = list(m.get("Fn::If"), "Fn::If");
                    return resolve(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
                }
                if (m.size() == 1 && "AWS::NoValue".equals(m.get("Ref"))) {
                    return null;
                }
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> {
                    Object r = resolve(v);
                    if (r != null) {
                        out.put(String.valueOf(k), r);
                    }
                });
                return out;
            }
            if (value instanceof List<?> l) {
                return l.stream().map(this::resolve).filter(java.util.Objects::nonNull).toList();
            }
            return value;
        }

        private boolean truth(Object expression) {
            Map<String, Object> e = map(expression, "condition expression");
            assertThat(e).as("one function per condition expression").hasSize(1);
            var entry = e.entrySet().iterator().next();
            List<Object> args = entry.getValue() instanceof List<?> l ? new ArrayList<>(l) : List.of(entry.getValue());
            return switch (entry.getKey()) {
                case "Fn::Equals" -> java.util.Objects.equals(scalar(args.get(0)), scalar(args.get(1)));
                case "Fn::Not" -> !truth(args.get(0));
                case "Fn::And" -> args.stream().allMatch(this::truth);
                case "Fn::Or" -> args.stream().anyMatch(this::truth);
                case "Condition" -> condition(String.valueOf(args.get(0)));
                default -> throw new AssertionError("condition function " + entry.getKey() + " is not evaluated by this test");
            };
        }

        private String scalar(Object v) {
            if (v instanceof Map<?, ?> m && m.containsKey("Ref")) {
                String name = String.valueOf(m.get("Ref"));
                assertThat(parameters).as("Ref %s in a condition is a parameter", name).containsKey(name);
                return parameters.get(name);
            }
            return String.valueOf(v);
        }

        private static Map<String, Object> resources(Map<String, Object> t) {
            return TemplateIsValidSamTest.resources(t);
        }
    }

    private static Map<String, List<String>> servedRoutes() {
        SignetConfig config = SignetConfig.from(Map.of("SIGNET_CONFIG_TABLE", "config",
                "SIGNET_EVENTS_TABLE", "events", "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1:1/queue/deliveries", "SIGNET_ADMIN_KEY", "unused"));
        Stores stores = InMemoryStores.create().stores();
        Clock clock = Clock.systemUTC();
        return Map.of(
                "IngestFunction", new IngestHandler(config, stores, clock).routes().stream()
                        .map(r -> r.method() + " " + r.template()).toList(),
                "ManagementFunction", new ManagementHandler(config, stores, clock).routes().stream()
                        .map(r -> r.method() + " " + r.template()).toList());
    }

    // ---- the SAM schema -----------------------------------------------------------------------------

    static final class SamSchema {
        static final JsonMapper JSON = JsonMapper.builder().build();
        static final JsonNode DOCUMENT = JSON.readTree(readString(SAM_SCHEMA));
        static final String ROOT = "";
        static final String GLOBALS = "__main____Globals";
        /** AWS::Serverless::X -> the definition the schema's Resources union refers to for it. */
        static final Map<String, String> TYPE_DEFINITIONS = new HashMap<>();
        /** The schema's catch-all for plain CloudFormation resources (it only checks Type). */
        static final String ANY_CFN_RESOURCE;
        /** Draft 4, plus the two annotation keywords the SAM schema adds (else the validator warns about each). */
        private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialect.builder(Dialects.getDraft4())
                .keyword(new NonValidationKeyword("__samPassThrough"))
                .keyword(new NonValidationKeyword("markdownDescription"))
                .build());
        private static final Map<String, Schema> SCHEMAS = new HashMap<>();

        static {
            String anyCfn = null;
            for (JsonNode option : DOCUMENT.at("/properties/Resources/additionalProperties/anyOf")) {
                String name = option.get("$ref").asString().substring("#/definitions/".length());
                JsonNode type = DOCUMENT.get("definitions").get(name).at("/properties/Type");
                if (type.has("enum")) {
                    type.get("enum").forEach(v -> TYPE_DEFINITIONS.put(v.asString(), name));
                } else {
                    anyCfn = name;
                }
            }
            assertThat(anyCfn).as("the SAM schema's catch-all resource definition").isNotNull();
            ANY_CFN_RESOURCE = anyCfn;
        }

        static String definitionFor(String type) {
            return TYPE_DEFINITIONS.getOrDefault(type, ANY_CFN_RESOURCE);
        }

        static List<String> errors(Object resource) {
            return errors(definitionFor(type(resource)), resource);
        }

        static List<String> errors(String definition, Object value) {
            JsonNode instance = JSON.valueToTree(value);
            return schema(definition).validate(instance).stream().map(Error::toString).toList();
        }

        private static synchronized Schema schema(String definition) {
            return SCHEMAS.computeIfAbsent(definition, d -> {
                if (d.equals(ROOT)) {
                    return REGISTRY.getSchema(SchemaLocation.of("urn:signet:sam-schema"), DOCUMENT);
                }
                // The definition on its own, with the schema's definitions alongside for its $refs.
                ObjectNode node = JSON.createObjectNode();
                node.put("$schema", "http://json-schema.org/draft-04/schema#");
                node.set("definitions", DOCUMENT.get("definitions"));
                node.putArray("allOf").addObject().put("$ref", "#/definitions/" + d);
                return REGISTRY.getSchema(SchemaLocation.of("urn:signet:sam-schema:" + d), node);
            });
        }
    }

    // ---- loading template.yaml ----------------------------------------------------------------------

    /** Loads a CloudFormation YAML template, short tags turned into their JSON forms ({@code !Ref X} -> {@code {Ref: X}}). */
    static Map<String, Object> load(Path file) {
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        return map(new Load(settings, new CloudFormationConstructor(settings)).loadFromString(readString(file)), file.toString());
    }

    static final class CloudFormationConstructor extends StandardConstructor {
        private static final List<String> FUNCTIONS = List.of("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "If",
                "ImportValue", "Join", "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform");

        CloudFormationConstructor(LoadSettings settings) {
            super(settings);
            tagConstructors.put(new Tag("!Ref"), node -> single("Ref", value(node)));
            tagConstructors.put(new Tag("!Condition"), node -> single("Condition", value(node)));
            tagConstructors.put(new Tag("!GetAtt"), node -> single("Fn::GetAtt", node instanceof ScalarNode s
                    ? List.of(constructScalar(s).split("\\.", 2)) : value(node)));
            for (String fn : FUNCTIONS) {
                tagConstructors.put(new Tag("!" + fn), node -> single("Fn::" + fn, value(node)));
            }
        }

        private Object value(Node node) {
            return switch (node) {
                case ScalarNode s -> constructScalar(s);
                case SequenceNode s -> constructSequence(s);
                case MappingNode m -> constructMapping(m);
                default -> throw new IllegalArgumentException("unexpected YAML node " + node);
            };
        }
    }

    // ---- small helpers ------------------------------------------------------------------------------

    static Map<String, Object> resources(Map<String, Object> template) {
        return map(template.get("Resources"), "Resources");
    }

    static Map<String, Object> props(Map<String, Object> template, String resource) {
        Object r = resources(template).get(resource);
        assertThat(r).as("resource %s", resource).isNotNull();
        return map(map(r, resource).get("Properties"), resource + " Properties");
    }

    static String type(Object resource) {
        return String.valueOf(map(resource, "resource").get("Type"));
    }

    /** Every logical id a value refers to: {@code Ref}, {@code Fn::GetAtt}, and {@code ${X}} / {@code ${X.Attr}} in {@code Fn::Sub}. */
    static Set<String> references(Object value) {
        Set<String> out = new LinkedHashSet<>();
        collectReferences(value, out);
        out.removeIf(r -> r.startsWith("AWS::"));
        return out;
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private static void collectReferences(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                Object v = e.getValue();
                switch (String.valueOf(e.getKey())) {
                    case "Ref" -> out.add(String.valueOf(v));
                    case "Fn::GetAtt" -> out.add(v instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(v).split("\\.")[0]);
                    case "Fn::Sub" -> {
                        String text = String.valueOf(v instanceof List<?> l ? l.get(0) : v);
                        Set<String> local = v instanceof List<?> l && l.size() > 1 && l.get(1) instanceof Map<?, ?> vars
                                ? vars.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet()) : Set.of();
                        Matcher matcher = SUB_VARIABLE.matcher(text);
                        while (matcher.find()) {
                            String name = matcher.group(1).split("\\.")[0];
                            if (!local.contains(name)) {
                                out.add(name);
                            }
                        }
                        if (v instanceof List<?> l && l.size() > 1) {
                            collectReferences(l.get(1), out);
                        }
                    }
                    default -> collectReferences(v, out);
                }
            }
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectReferences(v, out));
        }
    }

    static Map<String, Object> single(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        assertThat(value).as("%s is a mapping", what).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        assertThat(value).as("%s is a list", what).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    static List<Object> listOf(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
    }

    static List<String> strings(Object value) {
        return listOf(value).stream().map(String::valueOf).toList();
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Walks up from the working directory to the first directory containing {@code relative}. */
    static Path findUp(String relative, String what) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find " + what + ": no " + relative + " in " + start + " or any parent directory");
    }
}
