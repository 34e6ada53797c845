package io.keycloakgitops.webhook.rules;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.keycloakgitops.schemas.keycloak.KeycloakSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Rule 4: changes that an UPDATE must not make, judged against the stored object. */
public final class UpdateRule {
  public static final String RULE = "safe-update";
  /** Set to "true" on the Keycloak CR to confirm a scale to zero instances. */
  public static final String ALLOW_SCALE_TO_ZERO = "keycloak-gitops.io/allow-scale-to-zero";
  private static final String DEFAULT_VENDOR = "dev-file";

  private UpdateRule() {}

  public static Findings validate(ObjectMeta metadata, KeycloakSpec updated, KeycloakSpec stored) {
    var findings = Findings.builder(RULE);
    String oldVendor = vendor(stored);
    String newVendor = vendor(updated);
    if (!oldVendor.equals(newVendor)) {
      findings.forbidden(FieldPath.of("spec", "db", "vendor"), "cannot change from \"" + oldVendor + "\" to \""
          + newVendor + "\": the data does not move; create a new Keycloak CR and migrate");
    }
    int oldInstances = stored.instances == null ? 1 : stored.instances;
    boolean confirmed = metadata != null && metadata.getAnnotations() != null
        && "true".equals(metadata.getAnnotations().get(ALLOW_SCALE_TO_ZERO));
    if (Objects.equals(updated.instances, 0) && oldInstances > 0 && !confirmed) {
      findings.forbidden(FieldPath.of("spec", "instances"), "scaling to 0 stops Keycloak; confirm with the annotation "
          + ALLOW_SCALE_TO_ZERO + ": \"true\"");
    }
    if (isDowngrade(stored.image, updated.image)) {
      findings.warn(FieldPath.of("spec", "image"), "downgrade from " + tag(stored.image) + " to " + tag(updated.image)
          + ": Keycloak does not migrate its database backwards");
    }
    return findings.build();
  }

  private static String vendor(KeycloakSpec spec) {
    return spec.db == null || spec.db.vendor == null || spec.db.vendor.isBlank() ? DEFAULT_VENDOR : spec.db.vendor;
  }

  /** Same repository, both tags versions, the new one lower. Digests and unknown tags are never a downgrade. */
  static boolean isDowngrade(String oldImage, String newImage) {
    if (oldImage == null || newImage == null || oldImage.contains("@") || newImage.contains("@")
        || !repository(oldImage).equals(repository(newImage))) {
      return false;
    }
    List<Integer> oldVersion = version(tag(oldImage));
    List<Integer> newVersion = version(tag(newImage));
    if (oldVersion.isEmpty() || newVersion.isEmpty()) {
      return false;
    }
    for (int i = 0; i < Math.max(oldVersion.size(), newVersion.size()); i++) {
      int a = i < oldVersion.size() ? oldVersion.get(i) : 0;
      int b = i < newVersion.size() ? newVersion.get(i) : 0;
      if (a != b) {
        return b < a;
      }
    }
    return false;
  }

  private static int tagSeparator(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? colon : -1;
  }

  private static String repository(String image) {
    int colon = tagSeparator(image);
    return colon < 0 ? image : image.substring(0, colon);
  }

  private static String tag(String image) {
    int colon = tagSeparator(image);
    return colon < 0 ? "latest" : image.substring(colon + 1);
  }

  /** The leading numeric parts of a tag ("26.5.6" or "26.5.6-1"); empty when it does not start with a number. */
  private static List<Integer> version(String tag) {
    var parts = new ArrayList<Integer>();
    for (String part : tag.split("[.-]")) {
      if (!part.matches("\\d{1,9}")) {
        break;
      }
      parts.add(Integer.parseInt(part));
    }
    return parts;
  }
}
