package dev.signet.delivery;

import dev.signet.testkit.TestPki;
import dev.signet.testkit.TestPki.Authority;
import dev.signet.testkit.TestPki.Issued;
import dev.signet.testkit.TestPki.KeyType;
import dev.signet.testkit.TestPki.Usage;

/**
 * The certificates the mutual-TLS tests share, made once per test JVM with keytool (TestPki): a
 * receiver's authority and its server certificate, customers' client certificates of that authority,
 * and one of an authority the receiver does not trust.
 */
final class TestCertificates {
    static final Authority RECEIVERS_CA = TestPki.authority("Receivers CA");
    static final Authority OTHER_CA = TestPki.authority("Other CA");
    static final Issued RECEIVER = RECEIVERS_CA.issue("receiver.signet.test", Usage.SERVER, KeyType.EC);
    static final Issued CASTERLY = RECEIVERS_CA.issue("casterly", Usage.CLIENT, KeyType.EC);
    static final Issued RIVERRUN = RECEIVERS_CA.issue("riverrun", Usage.CLIENT, KeyType.RSA);
    static final Issued HIGHGARDEN = RECEIVERS_CA.issue("highgarden", Usage.CLIENT, KeyType.ED25519);
    static final Issued INTRUDER = OTHER_CA.issue("intruder", Usage.CLIENT, KeyType.EC);
    static final Issued EXPIRED = RECEIVERS_CA.issue("expired", Usage.CLIENT, KeyType.EC, "-3d", 1);
    static final Issued NOT_YET_VALID = RECEIVERS_CA.issue("not-yet", Usage.CLIENT, KeyType.EC, "+2d", 1);
    static final Issued SERVER_ONLY = RECEIVERS_CA.issue("server-only", Usage.SERVER, KeyType.EC);

    private TestCertificates() {
    }
}
