package dev.signet.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IAM statements template.yaml gives each function (its {@code Policies}), as written: actions,
 * resource expressions ({@code !GetAtt}, {@code !Sub}, {@code !Ref} as CloudFormation maps) and
 * conditions. For tests that hold the functions' calls against them.
 */
public final class TemplatePolicies {
    /** One Allow statement of a function's policy. */
    public record Statement(String function, String sid, List<String> actions, List<Object> resources, Map<String, Object> condition) {
    }

    private TemplatePolicies() {
    }

    /** Every statement of the function's policies ({@code IngestFunction}, {@code DeliveryFunction}, ...). */
    public static List<Statement> of(String function) {
        Map<String, Object> template = TemplateIsValidSamTest.load(TemplateIsValidSamTest.TEMPLATE);
        Map<String, Object> props = TemplateIsValidSamTest.props(template, function);
        List<Statement> out = new ArrayList<>();
        for (Object policy : TemplateIsValidSamTest.list(props.get("Policies"), function + " Policies")) {
            if (!(policy instanceof Map<?, ?> document) || !document.containsKey("Statement")) {
                // A managed policy or a SAM policy template grants what nobody here can see: not allowed.
                throw new IllegalStateException(function + ": the policy " + policy + " is not a list of inline statements; "
                        + "grant inline statements, so each function's permissions can be checked against its calls");
            }
            for (Object s : TemplateIsValidSamTest.list(TemplateIsValidSamTest.map(policy, "policy").get("Statement"), "Statement")) {
                Map<String, Object> statement = TemplateIsValidSamTest.map(s, "statement");
                if (!"Allow".equals(statement.get("Effect"))) {
                    throw new IllegalStateException(function + ": only Allow statements are expected, not " + statement);
                }
                Object resource = statement.get("Resource");
                @SuppressWarnings("unchecked")
                Map<String, Object> condition = (Map<String, Object>) statement.getOrDefault("Condition", Map.of());
                out.add(new Statement(function, String.valueOf(statement.get("Sid")), TemplateIsValidSamTest.strings(statement.get("Action")),
                        resource instanceof List<?> l ? List.copyOf(l) : List.of(resource), condition));
            }
        }
        return out;
    }

    /** The names of the template's functions. */
    public static List<String> functions() {
        return TemplateIsValidSamTest.Invariants.functions(TemplateIsValidSamTest.load(TemplateIsValidSamTest.TEMPLATE));
    }
}
