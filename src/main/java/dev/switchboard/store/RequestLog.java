package dev.switchboard.store;

import dev.switchboard.stats.RequestQuery;
import dev.switchboard.stats.RouteTrail;
import dev.switchboard.stats.UsageRecord;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log: {@code usage_records} read back one by one, newest first, with the routing
 * trail each record carries in its {@code trail} column. Pages are counted and cut in the
 * database; a page leaves the trail out (it is read for one request at a time).
 */
final class RequestLog {

  private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);
  private static final String COLUMNS = "id, request_id, ts, client_key_id, model, channel_id, credential_id,"
      + " upstream_model, route, streamed, status, error_class, attempts, input_tokens, output_tokens, cached_tokens,"
      + " reasoning_tokens, latency_ms, ttft_ms, bytes_in, bytes_out, end_user, group_name, client_protocol,"
      + " upstream_protocol, cache_write_5m_tokens, cache_write_1h_tokens, cost_nanos, price_version, estimated";

  private final Pool pool;
  private final Dialect dialect;
  private final String byRequestId;

  RequestLog(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
    this.byRequestId = dialect.sql("SELECT " + COLUMNS + ", trail FROM usage_records WHERE request_id = ? ORDER BY id DESC LIMIT 1");
  }

  Future<AdminStore.Page<UsageRecord>> page(RequestQuery q) {
    StringBuilder where = new StringBuilder(" WHERE ts >= ? AND ts < ?");
    Tuple params = Tuple.of(q.fromMs(), q.toMs());
    if (q.clientKeyId() != null) {
      where.append(" AND client_key_id = ?");
      params.addLong(q.clientKeyId());
    }
    if (q.channelId() != null) {
      where.append(" AND channel_id = ?");
      params.addLong(q.channelId());
    }
    if (q.model() != null) {
      where.append(" AND model = ?");
      params.addString(q.model());
    }
    if (q.status() != null) {
      where.append(" AND status = ?");
      params.addInteger(q.status());
    }
    if (q.statusClass() != null) {
      where.append(" AND status >= ? AND status < ?");
      params.addInteger(q.statusClass() * 100).addInteger(q.statusClass() * 100 + 100);
    }
    if (q.errorClass() != null) {
      where.append(" AND error_class = ?");
      params.addString(q.errorClass());
    }
    if (q.streamed() != null) {
      where.append(" AND streamed = ?");
      params.addValue(dialect.flagParam(q.streamed()));
    }
    Tuple pageParams = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) pageParams.addValue(params.getValue(i));
    pageParams.addInteger(q.limit()).addInteger(q.offset());
    Future<Long> total = pool.preparedQuery(dialect.sql("SELECT COUNT(*) AS n FROM usage_records" + where)).execute(params)
        .map(rows -> ((Number) rows.iterator().next().getValue("n")).longValue());
    return total.compose(n -> pool.preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM usage_records" + where
            + " ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?")).execute(pageParams)
        .map(rows -> {
          List<UsageRecord> items = new ArrayList<>(rows.size());
          rows.forEach(row -> items.add(record(row, null)));
          return new AdminStore.Page<>(items, n);
        }));
  }

  /** The newest record with this request id, with its trail; null when none. */
  Future<UsageRecord> one(String requestId) {
    return pool.preparedQuery(byRequestId).execute(Tuple.of(requestId)).map(rows -> {
      if (rows.size() == 0) return null;
      Row row = rows.iterator().next();
      return record(row, trail(row.getString("trail"), requestId));
    });
  }

  private static RouteTrail trail(String text, String requestId) {
    if (text == null) return null; // written before the request log existed
    try {
      return RouteTrail.fromJson(new JsonObject(text));
    } catch (DecodeException | ClassCastException e) {
      LOG.warn("the stored routing trail of {} is unreadable: {}", requestId, e.getMessage());
      return null;
    }
  }

  private static UsageRecord record(Row r, RouteTrail trail) {
    Object cost = r.getValue("cost_nanos");
    Object version = r.getValue("price_version");
    return new UsageRecord(r.getString("request_id"), r.getLong("ts"), r.getLong("client_key_id"), r.getString("model"),
        r.getLong("channel_id"), r.getLong("credential_id"), r.getString("upstream_model"), r.getString("route"),
        Dialect.readFlag(r, "streamed"), num(r, "status").intValue(), r.getString("error_class"),
        num(r, "attempts").intValue(), r.getLong("input_tokens"), r.getLong("output_tokens"), r.getLong("cached_tokens"),
        r.getLong("reasoning_tokens"), r.getLong("latency_ms"), r.getLong("ttft_ms"), r.getLong("bytes_in"),
        r.getLong("bytes_out"), r.getString("end_user"), r.getString("group_name"), r.getString("client_protocol"),
        r.getString("upstream_protocol"), r.getLong("cache_write_5m_tokens"), r.getLong("cache_write_1h_tokens"),
        cost == null ? UsageRecord.UNPRICED : ((Number) cost).longValue(),
        version == null ? UsageRecord.UNPRICED : ((Number) version).longValue(), Dialect.readFlag(r, "estimated"), trail);
  }

  private static Number num(Row r, String column) {
    Object v = r.getValue(column);
    return v instanceof Number n ? n : 0;
  }
}
