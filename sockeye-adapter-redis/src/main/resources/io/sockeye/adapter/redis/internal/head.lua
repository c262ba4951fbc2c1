-- The head of a namespace's shared recovery stream, creating the stream (a new epoch) when it is
-- missing. KEYS[1] meta hash; ARGV[1] candidate epoch. Returns {epoch, seq}.
if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1]) == 1 then redis.call('HSET', KEYS[1], 'seq', 0) end
return redis.call('HMGET', KEYS[1], 'epoch', 'seq')
