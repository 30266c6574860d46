// kappa_gen_csv: writes a synthetic CSV for `kappa ingest` benchmarks, fast
// (deterministic xorshift data, formatted by hand into one buffer):
//
//   ts,user_id,item_id,price,country,status
//   2024-03-01T00:00:00Z,483920,1234,19.99,DE,shipped
//
// Usage: kappa_gen_csv ROWS [OUT]   (OUT defaults to stdout)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

uint64_t g_state = 0x9e3779b97f4a7c15ull;

uint64_t Next() {
  g_state ^= g_state << 13;
  g_state ^= g_state >> 7;
  g_state ^= g_state << 17;
  return g_state;
}

void AppendInt(std::string* out, uint64_t v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out->push_back(buf[--n]);
}

void AppendTwo(std::string* out, unsigned v) {
  out->push_back(static_cast<char>('0' + v / 10));
  out->push_back(static_cast<char>('0' + v % 10));
}

// "2024-03-DDTHH:MM:SSZ" for the n-th second from 2024-03-01 (wraps at 28 days).
void AppendTimestamp(std::string* out, uint64_t second) {
  second %= 28 * 86400;
  out->append("2024-03-");
  AppendTwo(out, static_cast<unsigned>(1 + second / 86400));
  out->push_back('T');
  AppendTwo(out, static_cast<unsigned>(second / 3600 % 24));
  out->push_back(':');
  AppendTwo(out, static_cast<unsigned>(second / 60 % 60));
  out->push_back(':');
  AppendTwo(out, static_cast<unsigned>(second % 60));
  out->push_back('Z');
}

constexpr const char* kCountries[] = {"DE", "FR", "US", "JP", "BR", "IN", "GB", "NL"};
constexpr const char* kStatuses[] = {"new", "paid", "shipped", "returned"};

void AppendRow(std::string* out, uint64_t i) {
  uint64_t r = Next();
  AppendTimestamp(out, i / 4);
  out->push_back(',');
  AppendInt(out, r % 1000000);
  out->push_back(',');
  AppendInt(out, (r >> 20) % 10000);
  out->push_back(',');
  AppendInt(out, (r >> 34) % 500);
  out->push_back('.');
  AppendTwo(out, static_cast<unsigned>((r >> 44) % 100));
  out->push_back(',');
  out->append(kCountries[(r >> 52) % 8]);
  out->push_back(',');
  out->append(kStatuses[(r >> 58) % 4]);
  out->push_back('\n');
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: kappa_gen_csv ROWS [OUT]\n");
    return 2;
  }
  uint64_t rows = std::strtoull(argv[1], nullptr, 10);
  std::FILE* out = argc == 3 ? std::fopen(argv[2], "wb") : stdout;
  if (out == nullptr) {
    std::perror(argv[2]);
    return 1;
  }
  std::string buf = "ts,user_id,item_id,price,country,status\n";
  for (uint64_t i = 0; i < rows; ++i) {
    AppendRow(&buf, i);
    if (buf.size() >= (1 << 20)) {
      if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) return 1;
      buf.clear();
    }
  }
  if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) return 1;
  return std::fclose(out) == 0 ? 0 : 1;
}
