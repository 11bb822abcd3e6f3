package dev.sonde.runtime.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

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
}
