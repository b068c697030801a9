package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CommandParserTest {

    static Command parse(String s) throws CommandException {
        return CommandParser.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    static int refusal(String s) {
        try {
            parse(s);
        } catch (CommandException e) {
            return e.reply().code();
        }
        throw new AssertionError("taken: " + s);
    }

    @Test
    void mailWithParameters() throws Exception {
        Command.Mail m = (Command.Mail) parse("mail from:<Taro.Yamada@Example.JP> SIZE=1234 BODY=8BITMIME SMTPUTF8");
        assertThat(m.from()).isEqualTo(new MailAddress("Taro.Yamada", "example.jp"));
        assertThat(m.size()).isEqualTo(1234);
        assertThat(m.eightBit()).isTrue();
        assertThat(m.utf8()).isTrue();
        assertThat(((Command.Mail) parse("MAIL FROM:<>")).from().isNull()).isTrue();
        assertThat(((Command.Mail) parse("MAIL FROM: <a@b.jp>")).from().domain()).isEqualTo("b.jp");
    }

    @Test
    void internationalAddresses() throws Exception {
        Command.Rcpt r = (Command.Rcpt) parse("RCPT TO:<山田@例え.jp>");
        assertThat(r.to().international()).isTrue();
        assertThat(r.to().domain()).isEqualTo("例え.jp");
    }

    @Test
    void controlBytesAreRefusedAnywhere() {
        assertThat(refusal("MAIL FROM:<a@b.jp>\rRCPT TO:<x@evil.example>")).isEqualTo(500);
        assertThat(refusal("RCPT TO:<x@b.jp\u0000>")).isEqualTo(500);
        assertThat(refusal("RCPT TO:<x\n@b.jp>")).isEqualTo(500);
        assertThatThrownBy(() -> CommandParser.parse(new byte[] {'N', 'O', 'O', 'P', ' ', (byte) 0xc3, (byte) 0x28}))
                .isInstanceOf(CommandException.class);
    }

    @Test
    void routingTricksAreRefused() {
        assertThat(refusal("RCPT TO:<@relay.example:user@example.jp>")).isEqualTo(553);
        assertThat(refusal("RCPT TO:<user%evil.example@example.jp>")).isEqualTo(553);
        assertThat(refusal("RCPT TO:<evil.example!user@example.jp>")).isEqualTo(553);
        assertThat(refusal("RCPT TO:<\"user@evil.example\"@example.jp>")).isEqualTo(553);
        assertThat(refusal("RCPT TO:<user@example.jp>@evil.example")).isEqualTo(501);
        assertThat(refusal("RCPT TO:<user@exa mple.jp>")).isEqualTo(501);
        assertThat(refusal("RCPT TO:user@example.jp")).isEqualTo(501);
        assertThat(refusal("RCPT TO:<>")).isEqualTo(501);
    }

    @Test
    void onlyAdvertisedParameters() {
        assertThat(refusal("MAIL FROM:<a@b.jp> RET=FULL")).isEqualTo(555);
        assertThat(refusal("RCPT TO:<a@b.jp> NOTIFY=NEVER")).isEqualTo(555);
        assertThat(refusal("MAIL FROM:<a@b.jp> SIZE=12x")).isEqualTo(501);
        assertThat(refusal("MAIL FROM:<a@b.jp> BODY=BINARYMIME")).isEqualTo(501);
        assertThat(refusal("DATA now")).isEqualTo(501);
        assertThat(refusal("BDAT 100 LAST")).isEqualTo(500);
    }

    @Test
    void overlongLineIsRefused() {
        assertThat(refusal("NOOP " + "x".repeat(CommandParser.MAX_LINE))).isEqualTo(500);
        assertThat(refusal("RCPT TO:<" + "a".repeat(65) + "@b.jp>")).isEqualTo(553);
    }
}
