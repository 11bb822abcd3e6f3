package dev.sonde.runtime.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonWriterTest {

    @Test
    void writesNestedValuesWithEscapes() throws Exception {
        String json = new JsonWriter().beginObject()
                .field("text", "quote \" backslash \\ newline \n tab \t control \u0001")
                .field("count", 42L)
                .field("ratio", 0.25)
                .field("missing", Double.NaN)
                .field("flag", true)
                .field("list", List.of("a", "b"))
                .name("empty").beginArray().endArray()
                .name("nested").beginObject().name("nothing").nullValue().endObject()
                .endObject().toString();

        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.get("text").asText()).isEqualTo("quote \" backslash \\ newline \n tab \t control \u0001");
        assertThat(root.get("count").asLong()).isEqualTo(42);
        assertThat(root.get("ratio").asDouble()).isEqualTo(0.25);
        assertThat(root.get("missing").isNull()).isTrue();
        assertThat(root.get("flag").asBoolean()).isTrue();
        assertThat(root.get("list")).hasSize(2);
        assertThat(root.get("empty")).isEmpty();
        assertThat(root.at("/nested/nothing").isNull()).isTrue();
        assertThat(json).startsWith("{\"text\":").doesNotContain(",,");
    }

    @Test
    void writesPlainTextWholeAndJsonTextAsItIs() {
        String json = new JsonWriter(4).beginArray()
                .value("plain")
                .rawValue("[\"made\",\"elsewhere\"]")
                .value("\u2028 first")
                .endArray().toString();

        assertThat(json).isEqualTo("[\"plain\",[\"made\",\"elsewhere\"],\"\\u2028 first\"]");
    }

    @Test
    void writesInstantsAsInstantToStringDoes() {
        Random random = new Random(8);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00.100Z"),
                Instant.parse("2024-02-29T12:00:00.000100Z"), Instant.parse("2024-02-29T12:00:00.000000100Z"),
                Instant.MIN, Instant.MAX, Instant.parse("-0001-06-01T00:00:00Z"), Instant.now()));
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant instant : instants) {
            assertThat(new JsonWriter().value(instant).toString()).isEqualTo("\"" + instant + "\"");
        }
    }
}
