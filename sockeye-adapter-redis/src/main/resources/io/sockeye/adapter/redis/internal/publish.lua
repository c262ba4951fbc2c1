-- One broadcast of a namespace's shared recovery stream, atomically: the stream's epoch (created when
-- its meta hash is missing: Redis restarted or flushed), the next sequence number, the entry in each
-- target room's log (bounded by count, with the highest evicted sequence kept as the room's prune
-- watermark, and an expiry), and the publish with the offset spliced into the encoded message, so
-- that Redis's publish order is the sequence order.
--
-- KEYS[1] meta hash {epoch, seq}; then per target log: its stream, its marker hash {last, pruned}.
-- ARGV: 1 candidate epoch, 2 channel, 3 payload, 4 1-based indexes of the offset placeholders in it
--       (comma-separated: the trailing one, then any the arguments hold),
--       5 '1' to keep the entry (not volatile), 6 entries per room, 7 log ttl ms, 8 marker ttl ms,
--       9 'PUBLISH' or 'SPUBLISH'.
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
  -- logs of a lost epoch must not mix with the new one
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local offset = epoch .. '.' .. string.format('%016d', seq)
local payload = ARGV[3]
for at in string.gmatch(ARGV[4], '%d+') do
  local i = tonumber(at)
  payload = string.sub(payload, 1, i - 1) .. offset .. string.sub(payload, i + string.len(offset))
end
if ARGV[5] == '1' then
  local maxlen = tonumber(ARGV[6])
  local id = '0-' .. seq
  for i = 2, #KEYS, 2 do
    local log, marker = KEYS[i], KEYS[i + 1]
    local n = redis.call('XLEN', log)
    if n >= maxlen then
      local old = redis.call('XRANGE', log, '-', '+', 'COUNT', n - maxlen + 1)
      redis.call('XTRIM', log, 'MAXLEN', maxlen - 1)
      redis.call('HSET', marker, 'pruned', string.sub(old[#old][1], 3))
    end
    if type(redis.pcall('XADD', log, id, 'o', offset, 'm', payload)) ~= 'string' then
      -- a log left over from a lost epoch has higher ids: drop it, and say so through the watermark
      redis.call('DEL', log)
      redis.call('HSET', marker, 'pruned', seq - 1)
      redis.call('XADD', log, id, 'o', offset, 'm', payload)
    end
    redis.call('PEXPIRE', log, ARGV[7])
    redis.call('HSET', marker, 'last', seq)
    redis.call('PEXPIRE', marker, ARGV[8])
  end
end
redis.call(ARGV[9], ARGV[2], payload)
return offset
