package io.keycloakgitops.realmsync.engine;

public enum Operation {
  CREATE("+", "create"),
  UPDATE("~", "update"),
  DELETE("-", "delete");

  private final String symbol;
  private final String label;

  Operation(String symbol, String label) {
    this.symbol = symbol;
    this.label = label;
  }

  public String symbol() {
    return symbol;
  }

  public String label() {
    return label;
  }
}
