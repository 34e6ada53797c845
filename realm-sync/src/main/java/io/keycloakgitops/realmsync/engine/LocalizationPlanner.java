package io.keycloakgitops.realmsync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The realm's localization texts, per locale, exact once declared: new and changed texts of a locale go out as one
 * write, dropped keys are deleted, and a locale the file no longer lists loses all its texts.
 */
final class LocalizationPlanner {
  private final PlanContext plan;

  LocalizationPlanner(PlanContext plan) {
    this.plan = plan;
  }

  void plan() {
    var wanted = plan.desired().localizationTexts;
    if (wanted == null) {
      return;
    }
    var current = PlanContext.orEmpty(plan.live().localizationTexts);
    wanted.forEach((locale, texts) -> planLocale(locale, texts, current.get(locale)));
    current.keySet().stream().filter(locale -> !wanted.containsKey(locale)).forEach(locale -> plan.add(
        Change.delete(EntityType.LOCALIZATION_TEXTS, locale, Phase.LOCALIZATION_TEXTS,
            ctx -> ctx.api().delete("/localization/" + Paths.segment(locale)))));
  }

  private void planLocale(String locale, ObjectNode texts, ObjectNode existing) {
    ObjectNode have = existing == null ? Json.object() : existing;
    var fields = new ArrayList<FieldChange>();
    var upserts = Json.object();
    Json.fields(texts).forEach(e -> {
      JsonNode before = have.get(e.getKey());
      if (before == null || !before.asText().equals(e.getValue().asText())) {
        upserts.put(e.getKey(), e.getValue().asText());
        fields.add(new FieldChange(e.getKey(), before, e.getValue(), false));
      }
    });
    List<String> removals = new ArrayList<>();
    Json.fields(have).forEach(e -> {
      if (!texts.has(e.getKey())) {
        removals.add(e.getKey());
        fields.add(new FieldChange(e.getKey(), e.getValue(), null, false));
      }
    });
    if (fields.isEmpty()) {
      return;
    }
    String base = "/localization/" + Paths.segment(locale);
    Change.Action action = ctx -> {
      if (!upserts.isEmpty()) {
        ctx.api().post(base, upserts);
      }
      removals.forEach(key -> ctx.api().delete(base + "/" + Paths.segment(key)));
    };
    plan.add(existing == null ? Change.create(EntityType.LOCALIZATION_TEXTS, locale, Phase.LOCALIZATION_TEXTS, action)
        : Change.update(EntityType.LOCALIZATION_TEXTS, locale, fields, Phase.LOCALIZATION_TEXTS, action));
  }
}
