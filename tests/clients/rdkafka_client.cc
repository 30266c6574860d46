// A Kafka client built on librdkafka (C++ API), for integration tests and
// benchmarks against `kappa server`. Not part of the product.
//
//   kappa_rdkafka_client produce --brokers H:P --topic T [--count N] [--size B]
//       [--idempotent] [--acks all|1|0] [--compression none|gzip|snappy|lz4|zstd]
//       [--key-prefix K] [--rate R] [--linger-ms MS] [--debug CONTEXTS]
//                                      -> "delivered <n> <partition> <offset>" per record
//                                        (with --quiet only the summary line)
//   kappa_rdkafka_client consume --brokers H:P --topic T --group G [--max N]
//       [--idle-ms MS] [--no-commit]  -> "record <partition> <offset> <key> <value>"
//                                        "assigned <partition,...>" on each rebalance
//
// Summary lines go to stdout as "summary key=value ..."; errors to stderr
// with exit status 1.
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::string mode;
  std::map<std::string, std::string> opts;
  bool Has(const std::string& k) const { return opts.count(k) > 0; }
  std::string Get(const std::string& k, const std::string& def = "") const {
    auto it = opts.find(k);
    return it == opts.end() ? def : it->second;
  }
  long long Int(const std::string& k, long long def) const {
    return Has(k) ? std::stoll(Get(k)) : def;
  }
};

Args Parse(int argc, char** argv) {
  Args a;
  if (argc > 1) a.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) continue;
    k = k.substr(2);
    if (i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0) a.opts[k] = argv[++i];
    else a.opts[k] = "true";
  }
  return a;
}

void Die(const std::string& msg) {
  std::fprintf(stderr, "kappa_rdkafka_client: %s\n", msg.c_str());
  std::exit(1);
}

void Set(RdKafka::Conf* conf, const std::string& k, const std::string& v) {
  std::string err;
  if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK) Die("config " + k + ": " + err);
}

volatile std::sig_atomic_t g_stop = 0;

class DeliveryReport : public RdKafka::DeliveryReportCb {
 public:
  explicit DeliveryReport(bool quiet) : quiet_(quiet) {}
  void dr_cb(RdKafka::Message& m) override {
    if (m.err()) {
      ++failed;
      std::fprintf(stderr, "delivery failed: %s\n", m.errstr().c_str());
      return;
    }
    ++delivered;
    if (!quiet_) {
      std::printf("delivered %s %d %lld\n",
                  std::string(static_cast<const char*>(m.payload()), m.len()).c_str(),
                  m.partition(), static_cast<long long>(m.offset()));
    }
    auto index = reinterpret_cast<uintptr_t>(m.msg_opaque());
    auto lat = Clock::now() - sent_at[index];
    latencies_us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(lat).count());
  }
  long long delivered = 0;
  long long failed = 0;
  std::vector<long long> latencies_us;
  // When each record was handed to librdkafka, by record number (the
  // message's opaque pointer carries the number: no allocation per record).
  std::vector<Clock::time_point> sent_at;

 private:
  bool quiet_;
};

long long Percentile(std::vector<long long> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1)))];
}

// Connects and fetches the topic's metadata before the clock starts, so
// that throughput and latency figures leave out connection setup. (A record
// produced before the first connection is up can otherwise wait for
// librdkafka's 1 s metadata refresh timer.)
void WarmUp(RdKafka::Producer* producer, const std::string& topic) {
  std::string err;
  std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(producer, topic, nullptr, err));
  if (!handle) Die("topic " + topic + ": " + err);
  RdKafka::Metadata* md = nullptr;
  RdKafka::ErrorCode rc = producer->metadata(false, handle.get(), &md, 10000);
  if (rc != RdKafka::ERR_NO_ERROR) Die("metadata: " + RdKafka::err2str(rc));
  delete md;
}

int Produce(const Args& a) {
  const long long count = a.Int("count", 1000);
  const long long size = a.Int("size", 0);
  const long long rate = a.Int("rate", 0);  // records/s, 0 = as fast as possible
  const bool quiet = a.Has("quiet");
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  Set(conf.get(), "bootstrap.servers", a.Get("brokers", "127.0.0.1:9092"));
  Set(conf.get(), "acks", a.Get("acks", "all"));
  Set(conf.get(), "compression.codec", a.Get("compression", "none"));
  Set(conf.get(), "linger.ms", a.Get("linger-ms", "5"));
  Set(conf.get(), "batch.size", a.Get("batch-size", "1000000"));
  Set(conf.get(), "message.timeout.ms", a.Get("timeout-ms", "30000"));
  if (a.Has("idempotent")) Set(conf.get(), "enable.idempotence", "true");
  if (a.Has("debug")) Set(conf.get(), "debug", a.Get("debug"));
  DeliveryReport dr(quiet);
  std::string err;
  if (conf->set("dr_cb", &dr, err) != RdKafka::Conf::CONF_OK) Die(err);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), err));
  if (!producer) Die("create producer: " + err);

  const std::string topic = a.Get("topic");
  const std::string key_prefix = a.Get("key-prefix");
  dr.sent_at.resize(static_cast<size_t>(std::max(count, 0LL)));
  // The value is the record number, padded with 'x' to --size bytes. The
  // numbers only grow, so one buffer is reused: each record overwrites its
  // front with the next number.
  std::string padded(static_cast<size_t>(std::max(size, 0LL)), 'x');
  WarmUp(producer.get(), topic);
  auto start = Clock::now();
  for (long long i = 0; i < count && !g_stop; ++i) {
    std::string number = std::to_string(i);
    std::string_view value = number;
    if (padded.size() > number.size()) {
      padded.replace(0, number.size(), number);
      value = padded;
    }
    std::string key = key_prefix.empty() ? "" : key_prefix + number;
    if (rate > 0) {
      auto due = start + std::chrono::microseconds(i * 1000000 / rate);
      std::this_thread::sleep_until(due);
    }
    for (;;) {
      dr.sent_at[static_cast<size_t>(i)] = Clock::now();
      RdKafka::ErrorCode rc = producer->produce(
          topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
          const_cast<char*>(value.data()), value.size(), key.empty() ? nullptr : key.data(),
          key.size(), 0, reinterpret_cast<void*>(static_cast<uintptr_t>(i)));
      if (rc == RdKafka::ERR_NO_ERROR) break;
      if (rc != RdKafka::ERR__QUEUE_FULL) Die("produce: " + RdKafka::err2str(rc));
      producer->poll(10);
    }
    producer->poll(0);
  }
  while (producer->outq_len() > 0 && !g_stop) producer->poll(50);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("summary delivered=%lld failed=%lld seconds=%.3f records_per_s=%.0f "
              "mb_per_s=%.2f p50_us=%lld p99_us=%lld\n",
              dr.delivered, dr.failed, secs, dr.delivered / secs,
              dr.delivered * static_cast<double>(std::max<long long>(size, 1)) / secs / 1e6,
              Percentile(dr.latencies_us, 0.5), Percentile(dr.latencies_us, 0.99));
  std::fflush(stdout);
  return dr.failed == 0 ? 0 : 1;
}

class Rebalance : public RdKafka::RebalanceCb {
 public:
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& parts) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      std::string list;
      for (auto* p : parts) list += (list.empty() ? "" : ",") + std::to_string(p->partition());
      std::printf("assigned %s\n", list.empty() ? "-" : list.c_str());
      std::fflush(stdout);
      consumer->assign(parts);
    } else {
      std::printf("revoked\n");
      std::fflush(stdout);
      consumer->unassign();
    }
  }
};

int Consume(const Args& a) {
  const long long max = a.Int("max", -1);
  const long long idle_ms = a.Int("idle-ms", 10000);
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  Set(conf.get(), "bootstrap.servers", a.Get("brokers", "127.0.0.1:9092"));
  Set(conf.get(), "group.id", a.Get("group", "kappa-test"));
  Set(conf.get(), "auto.offset.reset", "earliest");
  Set(conf.get(), "enable.auto.commit", "false");
  Set(conf.get(), "session.timeout.ms", a.Get("session-timeout-ms", "6000"));
  Set(conf.get(), "heartbeat.interval.ms", "500");
  Set(conf.get(), "client.id", a.Get("client-id", "kappa-test-consumer"));
  Rebalance rb;
  std::string err;
  if (conf->set("rebalance_cb", &rb, err) != RdKafka::Conf::CONF_OK) Die(err);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) Die("create consumer: " + err);
  RdKafka::ErrorCode rc = consumer->subscribe({a.Get("topic")});
  if (rc) Die("subscribe: " + RdKafka::err2str(rc));

  long long received = 0;
  auto last = Clock::now();
  const bool commit = !a.Has("no-commit");
  while (!g_stop && (max < 0 || received < max)) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(100));
    if (m->err() == RdKafka::ERR__TIMED_OUT || m->err() == RdKafka::ERR__PARTITION_EOF) {
      if (Clock::now() - last > std::chrono::milliseconds(idle_ms)) break;
      continue;
    }
    if (m->err()) {
      std::fprintf(stderr, "consume: %s\n", m->errstr().c_str());
      continue;
    }
    last = Clock::now();
    ++received;
    std::printf("record %d %lld %s %s\n", m->partition(), static_cast<long long>(m->offset()),
                m->key() ? m->key()->c_str() : "-",
                std::string(static_cast<const char*>(m->payload()), m->len()).c_str());
    if (commit) consumer->commitSync(m.get());
  }
  std::fflush(stdout);
  consumer->close();
  std::printf("summary received=%lld\n", received);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::setvbuf(stdout, nullptr, _IOLBF, 1 << 16);
  Args a = Parse(argc, argv);
  if (a.mode == "produce") return Produce(a);
  if (a.mode == "consume") return Consume(a);
  Die("usage: kappa_rdkafka_client produce|consume --brokers H:P --topic T ...");
}
