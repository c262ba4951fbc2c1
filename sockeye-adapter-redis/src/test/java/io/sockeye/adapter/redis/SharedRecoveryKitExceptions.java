package io.sockeye.adapter.redis;

import java.util.Map;

/**
 * The recovery obligation of the conformance kit that the pub/sub adapters' shared Redis store cannot
 * follow, skipped with the reason; {@link SharedRedisRecoveryTest} checks it on Redis's terms.
 */
final class SharedRecoveryKitExceptions extends KitExceptions {

    SharedRecoveryKitExceptions() {
        super(Map.of("sessionsAreClaimedOnce",
                "R106 expires sessions on the kit's clock; Redis expires them by PX on its own "
                        + "(SharedRedisRecoveryTest.anExpiredSessionIsNeverClaimed; claims and incarnations are "
                        + "the Redis Streams adapter's scripts, RedisStreamsRecoveryStoreTest)"));
    }
}
