package dev.windowpane.pipelines.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.json.Json;
import dev.windowpane.transforms.json.JsonEventParser;
import dev.windowpane.transforms.json.JsonFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/**
 * An order line of the top-sellers pipeline: at {@code timestamp}, {@code quantity} (1 to 10^12)
 * units of {@code item} were sold. JSON: {@code {"timestamp": T, "item": "sku-1", "quantity": 2}}.
 * The upper bound keeps every window total of a realistic size within a long: it takes more than
 * nine million orders of the largest quantity in one window to overflow it.
 */
public final class Order {
  /** The largest quantity of one order, 10^12. */
  public static final long MAX_QUANTITY = 1_000_000_000_000L;

  private final Instant timestamp;
  private final String item;
  private final long quantity;

  private Order(Instant timestamp, String item, long quantity) {
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.item = Objects.requireNonNull(item, "item");
    this.quantity = quantity;
  }

  public static Order of(Instant timestamp, String item, long quantity) {
    if (quantity < 1 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException(
          "An order's quantity must be 1 to " + MAX_QUANTITY + ", got " + quantity + ".");
    }
    return new Order(timestamp, item, quantity);
  }

  public Instant timestamp() {
    return timestamp;
  }

  public String item() {
    return item;
  }

  public long quantity() {
    return quantity;
  }

  /** This order as one JSON line of the input contract. */
  public String toJson() {
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("timestamp", EventTimestamps.format(timestamp));
    json.put("item", item);
    json.put("quantity", quantity);
    return Json.write(json);
  }

  /** Reads an order from a JSON line: item a string, quantity an integer from 1 to 10^12. */
  public static JsonEventParser<Order> parser() {
    return line ->
        new Order(
            JsonFields.requireTimestamp(line, "timestamp"),
            JsonFields.requireString(line, "item"),
            quantity(line));
  }

  private static long quantity(ObjectNode line) throws InvalidEventException {
    long quantity = JsonFields.requireLong(line, "quantity", 1);
    if (quantity > MAX_QUANTITY) {
      throw new InvalidEventException(
          "field \"quantity\" is outside the allowed range 1 to " + MAX_QUANTITY + ", got " + quantity);
    }
    return quantity;
  }

  public static Coder<Order> coder() {
    return OrderCoder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Order)) {
      return false;
    }
    Order other = (Order) o;
    return timestamp.equals(other.timestamp) && item.equals(other.item) && quantity == other.quantity;
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestamp, item, quantity);
  }

  @Override
  public String toString() {
    return toJson();
  }

  private static final class OrderCoder extends CustomCoder<Order> {
    private static final long serialVersionUID = 1L;
    static final OrderCoder INSTANCE = new OrderCoder();

    @Override
    public void encode(Order order, OutputStream out) throws IOException {
      InstantCoder.of().encode(order.timestamp, out);
      StringUtf8Coder.of().encode(order.item, out);
      VarLongCoder.of().encode(order.quantity, out);
    }

    @Override
    public Order decode(InputStream in) throws IOException {
      return new Order(
          InstantCoder.of().decode(in), StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
