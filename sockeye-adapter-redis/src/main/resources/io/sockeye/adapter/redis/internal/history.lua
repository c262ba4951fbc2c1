-- One page of a namespace's shared recovery history, read as one snapshot: the stream's epoch and
-- head, then per log the entries after its start (at most ARGV[3]), or why the history cannot cover
-- the read. A log that expired still has its marker while its entries could be owed.
--
-- KEYS[1] meta hash; then per log: its stream, its marker hash {last, pruned}.
-- ARGV: 1 epoch of the reader's position, 2 its sequence, 3 entries per log, 3 + k the start of log k.
-- Returns {status, epoch, head, entries of log 1, …}: status 'ok', 'epoch', 'ahead' or 'pruned'.
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then return {'epoch', '', 0} end
local head = tonumber(redis.call('HGET', KEYS[1], 'seq'))
if epoch ~= ARGV[1] then return {'epoch', epoch, head} end
if tonumber(ARGV[2]) > head then return {'ahead', epoch, head} end
local out = {'ok', epoch, head}
for i = 2, #KEYS, 2 do
  local start = tonumber(ARGV[3 + i / 2])
  local marker = redis.call('HMGET', KEYS[i + 1], 'last', 'pruned')
  local last, pruned = tonumber(marker[1] or '0'), tonumber(marker[2] or '0')
  if pruned > start then return {'pruned', epoch, head} end
  if redis.call('EXISTS', KEYS[i]) == 0 then
    if last > start then return {'pruned', epoch, head} end
    out[#out + 1] = {}
  else
    out[#out + 1] = redis.call('XRANGE', KEYS[i], '(0-' .. start, '+', 'COUNT', ARGV[3])
  end
end
return out
