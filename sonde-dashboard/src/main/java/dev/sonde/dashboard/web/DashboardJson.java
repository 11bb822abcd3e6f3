package dev.sonde.dashboard.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.time.Instant;

/**
 * The JSON the page, the reports and the event stream share: times as ISO-8601 text, and figures that are
 * not known (NaN) as null, which JavaScript and every JSON reader understand.
 */
public final class DashboardJson {

    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule("sonde-dashboard")
            .addSerializer(Instant.class, ToStringSerializer.instance)
            .addSerializer(Double.class, new FiniteOrNull())
            .addSerializer(Double.TYPE, new FiniteOrNull()));

    private DashboardJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The dashboard could not write its own data as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static final class FiniteOrNull extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (value == null || value.isNaN() || value.isInfinite()) {
                out.writeNull();
            } else {
                out.writeNumber(value);
            }
        }
    }
}
