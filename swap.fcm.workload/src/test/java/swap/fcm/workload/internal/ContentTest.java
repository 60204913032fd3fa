package swap.fcm.workload.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import swap.fcm.workload.ContentMismatchException;

/** File contents are a function of key and offset: any range, at any alignment, fills and verifies alike. */
class ContentTest {

    @Test
    void anyRangeFillsWithTheBytesAtItsOffsets() {
        long key = Content.key(42, "sdet", 3);
        for (long position : new long[] { 0, 1, 7, 8, 4095, 4096, 1L << 33 }) {
            for (int length : new int[] { 0, 1, 5, 8, 17, 4096 }) {
                byte[] b = new byte[length + 3];
                Content.fill(key, position, b, 3, length);
                for (int i = 0; i < length; i++) {
                    assertThat(b[3 + i]).as("byte %d of a fill at %d", i, position).isEqualTo(Content.at(key, position + i));
                }
            }
        }
    }

    @Test
    void verificationNamesTheFileAndTheFirstWrongOffset() throws Exception {
        long key = Content.key(42, "postmark", 7);
        byte[] b = new byte[100];
        Content.fill(key, 1000, b, 0, 100);
        Content.verify(Path.of("f"), key, 1000, b, 0, 100);
        b[37] ^= 1;
        b[60] ^= 1;

        assertThatThrownBy(() -> Content.verify(Path.of("dir", "postmark-7"), key, 1000, b, 0, 100))
                .isInstanceOf(ContentMismatchException.class)
                .hasMessageStartingWith(Path.of("dir", "postmark-7") + " at offset 1037: expected 0x")
                .satisfies(e -> assertThat(((ContentMismatchException) e).offset()).isEqualTo(1037));
    }

    @Test
    void filesWithOtherKeysHoldOtherBytes() {
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        Content.fill(Content.key(42, "sdet", 1), 0, a, 0, 64);
        Content.fill(Content.key(42, "sdet", 2), 0, b, 0, 64);
        assertThat(a).isNotEqualTo(b);
        Content.fill(Content.key(43, "sdet", 1), 0, b, 0, 64);
        assertThat(a).isNotEqualTo(b);
    }
}
