package io.sockeye.core.spi.transport;

import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import io.sockeye.protocol.engine.EnginePacket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packet rules a transport relies on: one form per variant, owned by the packet, freed with it. */
class OutboundPacketTest {

    /** A reference-counted stand-in for a buffer. */
    private static final class Form extends AbstractReferenceCounted {
        @Override
        protected void deallocate() {
        }

        @Override
        public ReferenceCounted touch(Object hint) {
            return this;
        }
    }

    private static final WireVariant<Form> FORM = WireVariant.declare("test form", Form::release);
    private static final WireVariant<String> RECORD = WireVariant.declare("test record", r -> { });

    @Test
    void aSharedMessageCarriesTheUtf8OfItsEngineIoPacket() {
        String text = "2[\"héllo\",\"😀\"]";
        OutboundPacket packet = OutboundPacket.shared(text, OutboundPacket.messageUtf8(text));

        assertThat(new String(packet.utf8(), StandardCharsets.UTF_8)).isEqualTo("42[\"héllo\",\"😀\"]");
        assertThat(packet.pollingRecord()).isEqualTo("4" + text);
        assertThat(OutboundPacket.message(text).utf8()).isEqualTo(packet.utf8());
        packet.release();
    }

    @Test
    void preparedFormsAreKeptPerVariantAndReleasedWithTheLastReference() {
        OutboundPacket packet = OutboundPacket.shared("2[1]", OutboundPacket.messageUtf8("2[1]"));
        packet.retain(); // a second holder

        assertThat(packet.hasOtherHolders()).isTrue();
        assertThat(packet.prepared(FORM)).isNull();
        Form form = packet.prepare(FORM, new Form());
        packet.prepare(RECORD, packet.pollingRecord());
        assertThat(packet.prepared(FORM)).isSameAs(form);
        assertThat(packet.prepared(RECORD)).isEqualTo("42[1]");

        packet.release();
        assertThat(packet.hasOtherHolders()).isFalse();
        assertThat(form.refCnt()).isEqualTo(1);
        packet.release();
        assertThat(form.refCnt()).as("released with the packet").isZero();
    }

    @Test
    void aVariantIsPreparedOnlyOnce() {
        OutboundPacket packet = OutboundPacket.of(EnginePacket.PING);
        packet.prepare(FORM, new Form());
        Form second = new Form();

        assertThatThrownBy(() -> packet.prepare(FORM, second)).isInstanceOf(IllegalStateException.class);
        assertThat(second.refCnt()).as("the refused form is released").isZero();
        packet.release();
    }
}
