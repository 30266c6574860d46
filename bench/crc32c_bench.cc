// kappa_crc32c_bench: single-thread CRC-32C throughput (base/crc32c.h) for
// buffer sizes from a small record to a large batch. No disk.
//
//   kappa_crc32c_bench [--seconds=0.3] [--repeat=3]
//
// Prints one row per size: GB/s (1e9 bytes/s) of Crc32c, median of
// --repeat runs of about --seconds each; on x86-64 with SSE4.2 also the
// single-lane SSE4.2 kernel (what Crc32c was before the three-lane kernel)
// and the portable table kernel, for comparison.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "base/crc32c.h"

namespace kappa {

// Kernels behind Crc32cExtend, reachable for comparison (base/crc32c.cc).
// They work on the raw register (no inversion), which does not matter here.
namespace crc32c_internal {
uint32_t ExtendPortable(uint32_t crc, const uint8_t* p, size_t n);
#if defined(__x86_64__)
bool HasSse42();
uint32_t ExtendSse42OneLane(uint32_t crc, const uint8_t* p, size_t n);
#endif
}  // namespace crc32c_internal

namespace {

using Clock = std::chrono::steady_clock;

// GB/s of `fn(p, n)` over one buffer, for about `seconds`.
template <typename Fn>
double Measure(Fn fn, const uint8_t* p, size_t n, double seconds) {
  // Enough calls per clock read that reading the clock costs nothing.
  const size_t batch = std::max<size_t>(1, (size_t{1} << 20) / n);
  uint32_t sink = 0;
  size_t bytes = 0;
  auto t0 = Clock::now();
  double s = 0;
  do {
    for (size_t i = 0; i < batch; ++i) sink ^= fn(p, n);
    bytes += batch * n;
    s = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (s < seconds);
  if (sink == 0x12345678) std::puts("");  // keep the calls
  return static_cast<double>(bytes) / s / 1e9;
}

template <typename Fn>
double Median(Fn fn, const uint8_t* p, size_t n, double seconds, int repeat) {
  std::vector<double> v;
  for (int r = 0; r < repeat; ++r) v.push_back(Measure(fn, p, n, seconds));
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Main(int argc, char** argv) {
  double seconds = 0.3;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--seconds=", 10) == 0) {
      seconds = std::atof(argv[i] + 10);
    } else if (std::strncmp(argv[i], "--repeat=", 9) == 0) {
      repeat = std::max(1, std::atoi(argv[i] + 9));
    } else {
      std::fprintf(stderr, "usage: %s [--seconds=0.3] [--repeat=3]\n", argv[0]);
      return 2;
    }
  }

  std::vector<uint8_t> buf(size_t{1} << 20);
  std::mt19937 rng(1);
  for (uint8_t& b : buf) b = static_cast<uint8_t>(rng());

  std::printf("%-8s %10s %10s %10s\n", "size", "Crc32c", "1 lane", "portable");
  for (size_t n : {size_t{64}, size_t{1} << 10, size_t{16} << 10, size_t{1} << 20}) {
    std::string name = n >= (size_t{1} << 20)   ? std::to_string(n >> 20) + " MiB"
                       : n >= (size_t{1} << 10) ? std::to_string(n >> 10) + " KiB"
                                                : std::to_string(n) + " B";
    double gbs = Median([](const uint8_t* p, size_t len) { return Crc32c(p, len); }, buf.data(),
                        n, seconds, repeat);
    char one[16] = "-";
#if defined(__x86_64__)
    if (crc32c_internal::HasSse42()) {
      auto fn = [](const uint8_t* p, size_t len) {
        return crc32c_internal::ExtendSse42OneLane(~0u, p, len);
      };
      std::snprintf(one, sizeof(one), "%.2f", Median(fn, buf.data(), n, seconds, repeat));
    }
#endif
    auto portable_fn = [](const uint8_t* p, size_t len) {
      return crc32c_internal::ExtendPortable(~0u, p, len);
    };
    double portable = Median(portable_fn, buf.data(), n, seconds, repeat);
    std::printf("%-8s %10.2f %10s %10.2f\n", name.c_str(), gbs, one, portable);
  }
  return 0;
}

}  // namespace
}  // namespace kappa

int main(int argc, char** argv) { return kappa::Main(argc, argv); }
