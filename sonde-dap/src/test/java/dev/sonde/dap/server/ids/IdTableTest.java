package dev.sonde.dap.server.ids;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdTableTest {

    @Test
    void countingIdsAreStablePerValueAndNeverReusedAfterAClear() {
        IdTable<String> table = IdTable.counting(id -> "Frame " + id + " is not from the current stop.");

        int a = table.idOf("a");
        int b = table.idOf("b");
        assertThat(table.idOf("a")).isEqualTo(a);
        assertThat(b).isEqualTo(a + 1);
        assertThat(table.get(b)).isEqualTo("b");

        table.clear();
        assertThatThrownBy(() -> table.get(a))
                .isInstanceOfSatisfying(SondeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("Frame " + a + " is not from the current stop.");
        assertThat(table.idOf("a")).isGreaterThan(b);
    }

    @Test
    void keepingNumbersUsesAValuesOwnNumberWhenFreeAndCountsDownFromTheTopOtherwise() {
        IdTable<Long> table = IdTable.keepingNumbers(id -> id > 0 && id <= Integer.MAX_VALUE ? (int) (long) id : 0,
                id -> "There is no thread " + id + ".");

        assertThat(table.idOf(7L)).isEqualTo(7);
        assertThat(table.idOf(1L << 40)).isEqualTo(Integer.MAX_VALUE);
        assertThat(table.idOf(-3L)).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(table.get(Integer.MAX_VALUE)).isEqualTo(1L << 40);

        table.forget(7L);
        assertThatThrownBy(() -> table.get(7)).hasMessage("There is no thread 7.");
        assertThat(table.idOf(7L)).isEqualTo(7);
    }
}
