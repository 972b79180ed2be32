package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The network options' values: networks jsing offers, Apptainer's portmap form, name server addresses. */
class NetworkRequestTest {
    @Test
    void networksOtherThanNoneAndSlirpAreRefusedWithTheReason() {
        assertNull(NetworkRequest.problem("--network", "none"));
        assertNull(NetworkRequest.problem("--network", "slirp"));
        assertTrue(NetworkRequest.problem("--network", "bridge").startsWith("'bridge': jsing offers none and slirp"));
        assertEquals("one network only (none or slirp)", NetworkRequest.problem("--network", "none,slirp"));
    }

    @Test
    void portmapsAsApptainerWritesThem() {
        assertEquals(new NetworkPlan.Portmap(8080, 80, "tcp"), NetworkPlan.portmap("portmap=8080:80/tcp"));
        assertEquals(new NetworkPlan.Portmap(53, 5353, "udp"), NetworkPlan.portmap("portmap=53:5353/udp"));
        assertEquals(new NetworkPlan.Portmap(8080, 80, "tcp"), NetworkPlan.portmap("portmap=8080:80"));
        assertNull(NetworkPlan.portmap("portmap=0:80/tcp"));
        assertNull(NetworkPlan.portmap("portmap=8080:99999/tcp"));
        assertNull(NetworkPlan.portmap("portmap=8080:80/sctp"));
        assertNull(NetworkPlan.portmap("IP=10.1.1.1"));
        assertNull(NetworkRequest.problem("--network-args", "portmap=1:2/tcp;portmap=3:4/udp"));
        assertTrue(NetworkRequest.problem("--network-args", "IP=10.1.1.1").contains("only portmap="));
    }

    @Test
    void nameServersAreAddresses() {
        assertTrue(NetworkRequest.ipLiteral("10.0.0.1"));
        assertTrue(NetworkRequest.ipLiteral("2606:4700::1111"));
        assertFalse(NetworkRequest.ipLiteral("300.1.1.1"));
        assertFalse(NetworkRequest.ipLiteral("dns.example"));
        assertEquals(
                java.util.List.of("1.1.1.1", "9.9.9.9"),
                NetworkRequest.NONE.with("--dns", " 1.1.1.1 ,9.9.9.9").dns());
        assertTrue(NetworkRequest.NONE.with("--network", "slirp").ownNamespace(), "--network implies --net");
        assertFalse(NetworkRequest.NONE.with("--dns", "1.1.1.1").ownNamespace(), "--dns alone keeps the host's");
    }
}
