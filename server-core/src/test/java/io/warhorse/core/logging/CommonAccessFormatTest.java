package io.warhorse.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CommonAccessFormatTest {

    @Test
    void quotedFieldsEscapeQuotesBackslashesAndControlCharactersAsApacheDoes() {
        assertEquals("a\\\"b\\\\c\\x0ad\\x09\\x7f", CommonAccessFormat.escape(new StringBuilder(), "a\"b\\c\nd\t\u007f").toString());
        assertEquals("/caf\u00e9", CommonAccessFormat.escape(new StringBuilder(), "/caf\u00e9").toString());
    }
}
