package io.sockeye.adapter.redis;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/** Conformance-kit obligations whose set-up a Redis backend cannot follow, skipped with the reason. */
abstract class KitExceptions implements ExecutionCondition {

    private final Map<String, String> notApplicable;

    KitExceptions(Map<String, String> notApplicable) {
        this.notApplicable = notApplicable;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = context.getTestMethod().map(m -> notApplicable.get(m.getName())).orElse(null);
        return reason == null ? ConditionEvaluationResult.enabled("a kit obligation")
                : ConditionEvaluationResult.disabled(reason);
    }
}
