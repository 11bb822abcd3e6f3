package dev.sonde.dap.client.breakpoints;

import dev.sonde.core.model.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SourceFilesTest {

    @TempDir
    Path temp;

    @Test
    void relativeFilesAreLookedForUnderTheRootsAndOthersSentAsWritten() throws IOException {
        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve("orders.py"), "");
        SourceFiles files = new SourceFiles(List.of(temp, app));

        assertThat(files.resolve("orders.py")).isEqualTo(app.resolve("orders.py").toString());
        assertThat(files.resolve("app/orders.py")).isEqualTo(app.resolve("orders.py").toString());
        assertThat(files.resolve("/srv/x/../orders.py")).isEqualTo("/srv/orders.py");
        assertThat(files.resolve("remote.py")).isEqualTo("remote.py");
        assertThat(files.found(files.resolve("orders.py"))).isTrue();
        assertThat(files.found("remote.py")).isFalse();
    }

    @Test
    void locationsNameTheModuleAfterTheFile() {
        assertThat(SourceFiles.location("/app/shop.py", "price", 12)).isEqualTo(new Location("shop", "price", "shop.py", 12));
        assertThat(SourceFiles.location("/app/orders/__init__.py", "<module>", 1)).isEqualTo(new Location("orders", "<module>", "__init__.py", 1));
        assertThat(SourceFiles.location(null, "<string>", 1)).isEqualTo(new Location("<string>", null, null, 1));
        assertThat(SourceFiles.location("/app/shop.py", "price", 12).toString()).isEqualTo("shop.price (shop.py:12)");
    }

    @Test
    void theFunctionOfALineIsTheDefinitionThatEnclosesIt() throws IOException {
        Path script = Files.writeString(temp.resolve("shop.py"), String.join("\n",
                "import sys",                        // 1
                "",                                  // 2
                "class Item:",                       // 3
                "    size = 1",                      // 4
                "    def total(self, n):",           // 5
                "        if n:",                     // 6
                "# a comment at the margin",         // 7
                "            return n * 2",          // 8
                "",                                  // 9
                "        return 0",                  // 10
                "",                                  // 11
                "async def fetch(sku):",             // 12
                "    price = 1",                     // 13
                "    return price",                  // 14
                "",                                  // 15
                "print(Item().total(2))"));          // 16
        String path = script.toString();

        assertThat(SourceFiles.pythonFunctionAt(path, 1)).isEqualTo("<module>");
        assertThat(SourceFiles.pythonFunctionAt(path, 4)).isEqualTo("Item");
        assertThat(SourceFiles.pythonFunctionAt(path, 5)).isEqualTo("Item");
        assertThat(SourceFiles.pythonFunctionAt(path, 8)).isEqualTo("total");
        assertThat(SourceFiles.pythonFunctionAt(path, 9)).isEqualTo("total");
        assertThat(SourceFiles.pythonFunctionAt(path, 13)).isEqualTo("fetch");
        assertThat(SourceFiles.pythonFunctionAt(path, 16)).isEqualTo("<module>");
        assertThat(SourceFiles.pythonFunctionAt(path, 99)).isNull();
        assertThat(SourceFiles.pythonFunctionAt(temp.resolve("absent.py").toString(), 1)).isNull();
        assertThat(SourceFiles.pythonFunctionAt("/app/Orders.java", 1)).isNull();
    }
}
