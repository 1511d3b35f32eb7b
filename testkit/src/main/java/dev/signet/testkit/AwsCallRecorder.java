package dev.signet.testkit;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records, as IAM would authorise them, the AWS calls made through the clients it is attached to: the
 * IAM action ({@code dynamodb:PutItem}, {@code sqs:SendMessage} for SendMessageBatch too), the resource
 * (a table, {@code table/index/name}, a queue URL, a secret id) and, for DynamoDB item writes, the
 * partition key values ({@code dynamodb:LeadingKeys}) and the top-level attributes written
 * ({@code dynamodb:Attributes}). A transaction is recorded as its items, each with its own action, as
 * IAM checks them. Failed calls are recorded too (IAM authorises a call before it can fail). One
 * recorder per function, so a test can hold each function's calls against its policy.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {
    /** One authorised request: what IAM checks it against. */
    public record Call(String function, String action, String resource, Set<String> leadingKeys, Set<String> attributes,
                       String returnValues) {
    }

    private static final Pattern UPDATE_TARGET = Pattern.compile("(?:SET|REMOVE|ADD|DELETE|,)\\s*(#?[A-Za-z0-9_]+)");

    private final String function;
    private final ConcurrentLinkedQueue<Call> calls;

    /** @param calls where every call is added (one list may be shared by several functions' recorders) */
    public AwsCallRecorder(String function, ConcurrentLinkedQueue<Call> calls) {
        this.function = function;
        this.calls = calls;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        switch (service) {
            case "DynamoDb" -> dynamo(operation, context.request());
            case "Sqs" -> add("sqs:" + operation.replaceFirst("Batch$", ""), queueUrl(context.request()), Set.of(), Set.of(), null);
            case "SecretsManager" -> add("secretsmanager:" + operation, secretId(context.request()), Set.of(), Set.of(), null);
            default -> add(service + ":" + operation, "*", Set.of(), Set.of(), null);
        }
    }

    private void add(String action, String resource, Set<String> leadingKeys, Set<String> attributes, String returnValues) {
        calls.add(new Call(function, action, resource, Set.copyOf(leadingKeys), Set.copyOf(attributes), returnValues));
    }

    private void dynamo(String operation, SdkRequest request) {
        switch (request) {
            case GetItemRequest r -> add("dynamodb:GetItem", table(r.tableName(), null), keys(r.key()), Set.of(), null);
            case PutItemRequest r -> add("dynamodb:PutItem", table(r.tableName(), null), keys(r.item()), r.item().keySet(),
                    r.returnValuesAsString());
            case UpdateItemRequest r -> add("dynamodb:UpdateItem", table(r.tableName(), null), keys(r.key()),
                    written(r.key(), r.updateExpression(), r.expressionAttributeNames()), r.returnValuesAsString());
            case DeleteItemRequest r -> add("dynamodb:DeleteItem", table(r.tableName(), null), keys(r.key()), Set.of(),
                    r.returnValuesAsString());
            case QueryRequest r -> add("dynamodb:Query", table(r.tableName(), r.indexName()), Set.of(), Set.of(), null);
            case BatchWriteItemRequest r -> r.requestItems().keySet().forEach(t -> add("dynamodb:BatchWriteItem", table(t, null),
                    Set.of(), Set.of(), null));
            case BatchGetItemRequest r -> r.requestItems().keySet().forEach(t -> add("dynamodb:BatchGetItem", table(t, null),
                    Set.of(), Set.of(), null));
            case TransactWriteItemsRequest r -> {
                for (TransactWriteItem i : r.transactItems()) {
                    if (i.put() != null) {
                        add("dynamodb:PutItem", table(i.put().tableName(), null), keys(i.put().item()), i.put().item().keySet(), null);
                    } else if (i.update() != null) {
                        add("dynamodb:UpdateItem", table(i.update().tableName(), null), keys(i.update().key()),
                                written(i.update().key(), i.update().updateExpression(), i.update().expressionAttributeNames()), null);
                    } else if (i.delete() != null) {
                        add("dynamodb:DeleteItem", table(i.delete().tableName(), null), keys(i.delete().key()), Set.of(), null);
                    } else if (i.conditionCheck() != null) {
                        add("dynamodb:ConditionCheckItem", table(i.conditionCheck().tableName(), null), keys(i.conditionCheck().key()),
                                Set.of(), null);
                    }
                }
            }
            default -> add("dynamodb:" + operation, "*", Set.of(), Set.of(), null);
        }
    }

    private static String table(String table, String index) {
        return index == null ? "table/" + table : "table/" + table + "/index/" + index;
    }

    /** The partition key's value (Signet's tables key every item by {@code pk}). */
    private static Set<String> keys(Map<String, AttributeValue> key) {
        AttributeValue pk = key.get("pk");
        return pk == null || pk.s() == null ? Set.of() : Set.of(pk.s());
    }

    /** The key's attributes and the top-level attributes an update expression names. */
    private static Set<String> written(Map<String, AttributeValue> key, String expression, Map<String, String> names) {
        Set<String> out = new TreeSet<>(key.keySet());
        if (expression != null) {
            Matcher m = UPDATE_TARGET.matcher(expression);
            while (m.find()) {
                String name = m.group(1);
                out.add(name.startsWith("#") ? names.getOrDefault(name, name) : name);
            }
        }
        return out;
    }

    private static String queueUrl(SdkRequest request) {
        return request.getValueForField("QueueUrl", String.class).orElse("*");
    }

    private static String secretId(SdkRequest request) {
        return request.getValueForField("SecretId", String.class)
                .or(() -> request.getValueForField("Name", String.class)).orElse("*");
    }

    /** The calls of one function, in no particular order. */
    public static List<Call> of(ConcurrentLinkedQueue<Call> calls, String function) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.function().equals(function)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The distinct functions seen. */
    public static Set<String> functions(ConcurrentLinkedQueue<Call> calls) {
        Set<String> out = new LinkedHashSet<>();
        calls.forEach(c -> out.add(c.function()));
        return out;
    }
}
