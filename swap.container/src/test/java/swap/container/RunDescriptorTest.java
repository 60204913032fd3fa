package swap.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

class RunDescriptorTest {

    @TempDir
    Path dir;

    @Test
    void readsTheResolversOutput() throws IOException {
        Path bndrun = Files.writeString(dir.resolve("container.bndrun"), """
                -include="~/somewhere/cnf/container.bndrun"
                -runbundles: \\
                \torg.apache.felix.configadmin;version='[1.9.26,1.9.27)';startlevel=2,\\
                \torg.ops4j.pax.logging.pax-logging-api;version='[2.3.2,2.3.3)';startlevel=1,\\
                \tswap.framework;version='[0.1.0,0.1.1)';startlevel=10
                """);

        RunDescriptor descriptor = RunDescriptor.read(bndrun);

        assertThat(descriptor.bundles()).extracting(RunDescriptor.RunBundle::symbolicName)
                .containsExactly("org.apache.felix.configadmin", "org.ops4j.pax.logging.pax-logging-api", "swap.framework");
        assertThat(descriptor.bundles()).extracting(RunDescriptor.RunBundle::startLevel).containsExactly(2, 1, 10);
        assertThat(descriptor.bundles().get(0).versions().includes(Version.parseVersion("1.9.26"))).isTrue();
        assertThat(descriptor.bundles().get(0).versions().includes(Version.parseVersion("1.9.27"))).isFalse();
        assertThat(descriptor.maxStartLevel()).isEqualTo(10);
    }

    @Test
    void aClauseWithoutAttributesGetsTheDefaults() {
        RunDescriptor descriptor = RunDescriptor.parse("a.b, c.d;startlevel=3");
        assertThat(descriptor.bundles().get(0).startLevel()).isEqualTo(RunDescriptor.DEFAULT_START_LEVEL);
        assertThat(descriptor.bundles().get(0).versions().includes(Version.parseVersion("99"))).isTrue();
        assertThat(descriptor.bundles().get(1).startLevel()).isEqualTo(3);
    }

    @Test
    void anUnresolvedDescriptorIsNamed() throws IOException {
        Path bndrun = Files.writeString(dir.resolve("plain.bndrun"), "-runrequires: bnd.identity;id='x'\n");
        assertThatIOException().isThrownBy(() -> RunDescriptor.read(bndrun))
                .withMessageContaining("plain.bndrun").withMessageContaining("no -runbundles");
    }

    @Test
    void malformedClausesAreNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> RunDescriptor.parse("a;startlevel=x"))
                .withMessageContaining("startlevel 'x' of a");
        assertThatIllegalArgumentException().isThrownBy(() -> RunDescriptor.parse("a;version='[1,2)"))
                .withMessageContaining("unbalanced quote");
        assertThatIllegalArgumentException().isThrownBy(() -> RunDescriptor.parse("a;startlevel=0"))
                .withMessageContaining("a: start level must be >= 1");
        assertThatIllegalArgumentException().isThrownBy(() -> RunDescriptor.parse("a;oops"))
                .withMessageContaining("malformed attribute 'oops' of a");
        assertThatIllegalArgumentException().isThrownBy(() -> RunDescriptor.parse(" , "))
                .withMessageContaining("no bundle");
    }
}
