package org.omamori.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListSettingTest {

    @Test
    void aCfgLineWithCommasGivesOneEntryEach() {
        assertThat(ListSetting.entries("explicit@127.0.0.1:3128/lan, transparent@0.0.0.0:3129/lan"))
                .containsExactly("explicit@127.0.0.1:3128/lan", "transparent@0.0.0.0:3129/lan");
    }

    @Test
    void separateValuesAndMixedFormsKeepTheirOrder() {
        assertThat(ListSetting.entries("a", " b ,c", "d")).containsExactly("a", "b", "c", "d");
    }

    @Test
    void blanksAndNullsGiveNothing() {
        assertThat(ListSetting.entries()).isEmpty();
        assertThat(ListSetting.entries((String[]) null)).isEmpty();
        assertThat(ListSetting.entries("", " , ,", null)).isEmpty();
    }
}
