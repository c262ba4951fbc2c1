package io.sockeye.core.adapter;

import java.util.Objects;

/**
 * One message between the adapters of a namespace on different nodes: socket.io's
 * {@code ClusterMessage} ({@code {type, data, uid, nsp}}, see docs/protocol-notes.md, "Cluster
 * messages"). Backends move it; a codec (JSON, msgpack) turns it into bytes and back.
 *
 * @param uid  the sending adapter's id; {@code null} for messages from outside the cluster (e.g. an
 *             emitter), which are processed but not answered
 * @param nsp  the namespace
 * @param data what the message says; its {@link ClusterPayload#type()} is the message's type
 */
public record ClusterMessage(String uid, String nsp, ClusterPayload data) {

    public ClusterMessage {
        Objects.requireNonNull(nsp, "nsp");
        Objects.requireNonNull(data, "data");
    }

    public ClusterMessageType type() {
        return data.type();
    }
}
