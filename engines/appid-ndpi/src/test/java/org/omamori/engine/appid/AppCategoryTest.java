package org.omamori.engine.appid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.omamori.engine.appid.ndpi.Ndpi;

/** The mapping speaks of names nDPI 4.2 really has, and ids are what the cloud expects. */
class AppCategoryTest {

    @Test
    void ids() {
        assertThat(AppCategory.FILE_SHARING.id()).isEqualTo("file-sharing");
        assertThat(AppCategory.SOFTWARE_UPDATE.id()).isEqualTo("software-update");
        assertThat(AppSlug.of("Microsoft365")).isEqualTo("microsoft365");
        assertThat(AppSlug.of("Skype_Teams")).isEqualTo("skype-teams");
        assertThat(AppSlug.of("Apple iCloud")).isEqualTo("apple-icloud");
    }

    @Test
    void everyProtocolNamedInTheMappingExistsInNdpi() {
        try (Ndpi ndpi = NdpiInstalled.open(1)) {
            Set<String> names = new HashSet<>();
            Set<String> categories = new HashSet<>();
            for (int id = 0; id < 512; id++) {
                names.add(ndpi.protocolName(id));
            }
            for (int c = 0; c < 40; c++) {
                categories.add(ndpi.categoryName(c));
            }
            assertThat(names).containsAll(AppCategory.protocolsMapped());
            assertThat(categories).containsAll(AppCategory.categoriesMapped());
        }
    }

    @Test
    void overridesWinOverNdpiCategories() {
        assertThat(AppCategory.of("Zoom", "Video")).isEqualTo(AppCategory.VOIP);
        assertThat(AppCategory.of("LINE", "Web")).isEqualTo(AppCategory.MESSAGING);
        assertThat(AppCategory.of("YouTube", "Media")).isEqualTo(AppCategory.VIDEO);
        assertThat(AppCategory.of("Something", "IoT-Scada")).isEqualTo(AppCategory.OTHER);
    }
}
