package org.omamori.engine.ips.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressAndPortTest {

    private final RuleParser parser = new RuleParser(Variables.defaults()
            .withAddress("$NESTED", "[$HOME_NET,!10.1.0.0/16]")
            .withAddress("LOOP", "[$LOOP2]").withAddress("LOOP2", "$LOOP")
            .withPort("WEB", "[$HTTP_PORTS,443]"));

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s); // literals only: no lookup
    }

    @Test
    void homeNetIsPrivateV4AndUniqueLocalV6() throws Exception {
        AddressSpec home = parser.address("$HOME_NET");
        assertThat(home.matches(ip("10.9.8.7"))).isTrue();
        assertThat(home.matches(ip("172.31.0.1"))).isTrue();
        assertThat(home.matches(ip("192.168.1.1"))).isTrue();
        assertThat(home.matches(ip("fd00::1"))).isTrue();
        assertThat(home.matches(ip("8.8.8.8"))).isFalse();
        assertThat(home.matches(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void externalNetIsNotHome() throws Exception {
        AddressSpec ext = parser.address("$EXTERNAL_NET");
        assertThat(ext.any()).isFalse();
        assertThat(ext.matches(ip("8.8.8.8"))).isTrue();
        assertThat(ext.matches(ip("192.168.1.1"))).isFalse();
        assertThat(parser.address("!$EXTERNAL_NET").matches(ip("192.168.1.1"))).isTrue();
        assertThat(parser.address("!$EXTERNAL_NET").matches(ip("8.8.8.8"))).isFalse();
    }

    @Test
    void listsWithExceptionsAndNesting() throws Exception {
        AddressSpec s = parser.address("[10.0.0.0/8, !10.1.0.0/16, [192.0.2.1, 2001:db8::/32]]");
        assertThat(s.matches(ip("10.2.0.1"))).isTrue();
        assertThat(s.matches(ip("10.1.0.1"))).isFalse();
        assertThat(s.matches(ip("192.0.2.1"))).isTrue();
        assertThat(s.matches(ip("192.0.2.2"))).isFalse();
        assertThat(s.matches(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(parser.address("$NESTED").matches(ip("10.1.2.3"))).isFalse();
        assertThat(parser.address("[!192.0.2.0/24]").matches(ip("198.51.100.1"))).isTrue();
        assertThat(parser.address("any")).isEqualTo(AddressSpec.ANY);
        assertThat(parser.address("::ffff:192.0.2.1").include().getFirst().network()).hasSize(16);
    }

    @Test
    void negatedListWithExceptionsIsSkippedNotApproximated() throws Exception {
        ParseOutcome o = parser.parse("alert ip ![10.0.0.0/8,!10.1.0.0/16] any -> any any (sid:1;)", "t", 1);
        assertThat(o).isEqualTo(new ParseOutcome.Skipped("address-negation", "sid 1: a negated address list with exceptions"));
    }

    @Test
    void addressErrors() {
        assertThatThrownBy(() -> parser.address("$LOOP")).hasMessage("address:0: $LOOP2: variable $LOOP refers to itself");
        assertThatThrownBy(() -> parser.address("[1.2.3.4,")).hasMessage("address:0: missing address after '[1.2.3.4,'");
        assertThatThrownBy(() -> parser.address("[]")).hasMessage("address:0: missing address before ']'");
        assertThatThrownBy(() -> parser.address("10.0.0.0/33")).hasMessage("address:0: prefix length /33 too long in '10.0.0.0/33'");
        assertThatThrownBy(() -> parser.address("1:2:3:4:5:6:7:8:9")).hasMessage("address:0: bad address '1:2:3:4:5:6:7:8:9'");
        assertThatThrownBy(() -> parser.address("example.com")).hasMessage("address:0: bad address 'example.com'");
        assertThatThrownBy(() -> parser.address("1.2.3.4]")).hasMessage("address:0: unexpected ']' in address '1.2.3.4]'");
    }

    @Test
    void ports() throws Exception {
        PortSpec web = parser.port("$WEB");
        assertThat(web.matches(80)).isTrue();
        assertThat(web.matches(8080)).isTrue();
        assertThat(web.matches(443)).isTrue();
        assertThat(web.matches(22)).isFalse();
        PortSpec shell = parser.port("$SHELLCODE_PORTS");
        assertThat(shell.matches(80)).isFalse();
        assertThat(shell.matches(81)).isTrue();
        assertThat(shell.exclude()).containsExactly(new PortSpec.Range(80, 80));
        assertThat(parser.port(":1023").matches(1023)).isTrue();
        assertThat(parser.port(":1023").matches(1024)).isFalse();
        assertThat(parser.port("[1:100,!50:60,![70,71]]").matches(55)).isFalse();
        assertThat(parser.port("[1:100,!50:60,![70,71]]").matches(71)).isFalse();
        assertThat(parser.port("[1:100,!50:60,![70,71]]").matches(72)).isTrue();
        assertThat(parser.port("!![80]").matches(80)).isTrue();
        assertThat(parser.port("$FILE_DATA_PORTS").matches(143)).isTrue();
        assertThat(parser.port("ANY")).isEqualTo(PortSpec.ANY);
    }

    @Test
    void portErrors() {
        assertThatThrownBy(() -> parser.port("$NOPE")).hasMessage("port:0: undefined variable $NOPE");
        assertThatThrownBy(() -> parser.port("8o")).hasMessage("port:0: bad port '8o'");
        assertThatThrownBy(() -> parser.port(":")).hasMessage("port:0: bad port range ':'");
        assertThatThrownBy(() -> parser.port("!any")).hasMessage("port:0: !any matches no port");
    }

    @Test
    void undefinedVariableInsideAVariableNamesBoth() {
        RuleParser p = new RuleParser(Variables.defaults().withAddress("HOME_NET", "[$OFFICE]"));
        assertThatThrownBy(() -> p.parse("alert tcp $HOME_NET any -> any any (sid:1;)", "f.rules", 3))
                .hasMessage("f.rules:3: source address: $HOME_NET: undefined variable $OFFICE");
    }
}
