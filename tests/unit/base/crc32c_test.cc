// CRC-32C: every kernel in base/crc32c.cc (portable tables, one SSE4.2 lane,
// three SSE4.2 lanes) and the public Crc32cExtend against a bit-at-a-time
// reference, over every length up to 4 KiB at random alignments, around the
// three-lane block sizes, and on large buffers; and chaining at arbitrary
// split points.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/crc32c.h"

namespace kappa {

// The kernels behind Crc32cExtend (external linkage for tests and the bench
// only; see base/crc32c.cc). They work on the raw register: no inversion.
namespace crc32c_internal {
uint32_t ExtendPortable(uint32_t crc, const uint8_t* p, size_t n);
#if defined(__x86_64__)
bool HasSse42();
uint32_t ExtendSse42OneLane(uint32_t crc, const uint8_t* p, size_t n);
uint32_t ExtendSse42ThreeLanes(uint32_t crc, const uint8_t* p, size_t n);
#endif
}  // namespace crc32c_internal

namespace {

// Bit at a time, straight from the definition; shares nothing with the code
// under test.
uint32_t ReferenceExtend(uint32_t crc, const uint8_t* p, size_t n) {
  crc = ~crc;
  while (n--) {
    crc ^= *p++;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
  }
  return ~crc;
}

struct Kernel {
  const char* name;
  uint32_t (*fn)(uint32_t, const uint8_t*, size_t);
};

// Every implementation this CPU can run, with Crc32cExtend's conventions.
std::vector<Kernel> Kernels() {
  std::vector<Kernel> ks = {
      {"Crc32cExtend", Crc32cExtend},
      {"portable",
       [](uint32_t c, const uint8_t* p, size_t n) {
         return ~crc32c_internal::ExtendPortable(~c, p, n);
       }},
  };
#if defined(__x86_64__)
  if (crc32c_internal::HasSse42()) {
    ks.push_back({"sse4.2 one lane", [](uint32_t c, const uint8_t* p, size_t n) {
                    return ~crc32c_internal::ExtendSse42OneLane(~c, p, n);
                  }});
    ks.push_back({"sse4.2 three lanes", [](uint32_t c, const uint8_t* p, size_t n) {
                    return ~crc32c_internal::ExtendSse42ThreeLanes(~c, p, n);
                  }});
  }
#endif
  return ks;
}

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (uint8_t& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

TEST(Crc32c, ReferenceMatchesKnownVectors) {
  // RFC 3720 B.4.
  std::vector<uint8_t> zeros(32, 0), ones(32, 0xff);
  EXPECT_EQ(ReferenceExtend(0, zeros.data(), 32), 0x8a9136aau);
  EXPECT_EQ(ReferenceExtend(0, ones.data(), 32), 0x62a8ab43u);
  std::string digits = "123456789";
  EXPECT_EQ(ReferenceExtend(0, reinterpret_cast<const uint8_t*>(digits.data()), 9), 0xe3069283u);
}

TEST(Crc32c, KernelsRunHere) {
  // On x86-64 development machines all four should run; say so if not.
  std::vector<Kernel> ks = Kernels();
  for (const Kernel& k : ks) RecordProperty(k.name, "tested");
#if defined(__x86_64__)
  EXPECT_EQ(ks.size(), 4u) << "no SSE4.2: only the portable kernel is tested";
#endif
}

// Every length 0..4096, each at a random offset (alignment) in the buffer and
// with a random starting CRC for every other length.
TEST(Crc32c, EveryLengthTo4KiB) {
  constexpr size_t kMax = 4096;
  std::vector<uint8_t> buf = RandomBytes(kMax + 64, 1);
  std::mt19937 rng(2);
  const std::vector<Kernel> kernels = Kernels();
  for (size_t n = 0; n <= kMax; ++n) {
    const uint8_t* p = buf.data() + rng() % 64;
    uint32_t init = n % 2 ? static_cast<uint32_t>(rng()) : 0;
    uint32_t want = ReferenceExtend(init, p, n);
    for (const Kernel& k : kernels) {
      ASSERT_EQ(k.fn(init, p, n), want) << k.name << " length " << n << " offset " << p - buf.data();
    }
  }
}

// Lengths around each three-lane block size (3 * 64, 3 * 256, 3 * 8192) and
// some sums of them, at a few alignments.
TEST(Crc32c, AroundBlockSizes) {
  std::vector<uint8_t> buf = RandomBytes(4 * 24576 + 16, 3);
  std::vector<size_t> lengths;
  for (size_t base : {size_t{192}, size_t{768}, size_t{960}, size_t{24576}, size_t{24576 + 768},
                      size_t{24576 + 768 + 192}, size_t{2 * 24576}, size_t{4 * 24576}}) {
    for (size_t d = 0; d <= 16; ++d) lengths.push_back(base + d - 8);
  }
  const std::vector<Kernel> kernels = Kernels();
  for (size_t n : lengths) {
    for (size_t off : {0, 1, 4, 7}) {
      if (off + n > buf.size()) continue;
      const uint8_t* p = buf.data() + off;
      uint32_t want = ReferenceExtend(0, p, n);
      for (const Kernel& k : kernels) {
        ASSERT_EQ(k.fn(0, p, n), want) << k.name << " length " << n << " offset " << off;
      }
    }
  }
}

TEST(Crc32c, LargeBuffers) {
  std::vector<uint8_t> buf = RandomBytes((size_t{3} << 20) + 64, 4);
  std::mt19937 rng(5);
  for (size_t n : {size_t{1} << 20, (size_t{1} << 20) + 1, (size_t{1} << 20) + 4093,
                   (size_t{3} << 20) + 13}) {
    const uint8_t* p = buf.data() + rng() % 64;
    uint32_t init = static_cast<uint32_t>(rng());
    uint32_t want = ReferenceExtend(init, p, n);
    for (const Kernel& k : Kernels()) EXPECT_EQ(k.fn(init, p, n), want) << k.name << " " << n;
  }
}

// Crc32cExtend over consecutive pieces equals one call over the whole, for
// every split of a short buffer and random multi-way splits of a large one.
TEST(Crc32c, ExtendAtArbitrarySplits) {
  std::vector<uint8_t> small = RandomBytes(1500, 6);
  const uint32_t small_crc = Crc32c(small.data(), small.size());
  for (size_t cut = 0; cut <= small.size(); ++cut) {
    uint32_t c = Crc32c(small.data(), cut);
    ASSERT_EQ(Crc32cExtend(c, small.data() + cut, small.size() - cut), small_crc) << cut;
  }

  std::vector<uint8_t> big = RandomBytes((size_t{1} << 20) + 777, 7);
  const uint32_t big_crc = ReferenceExtend(0, big.data(), big.size());
  ASSERT_EQ(Crc32c(big.data(), big.size()), big_crc);
  std::mt19937 rng(8);
  for (int trial = 0; trial < 50; ++trial) {
    // 1 to 8 pieces with random boundaries, some pieces empty or tiny.
    std::vector<size_t> cuts = {0, big.size()};
    for (int i = 1 + static_cast<int>(rng() % 8); i > 1; --i) cuts.push_back(rng() % big.size());
    if (trial % 5 == 0) cuts.push_back(cuts.back());
    std::sort(cuts.begin(), cuts.end());
    uint32_t c = 0;
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
      c = Crc32cExtend(c, big.data() + cuts[i], cuts[i + 1] - cuts[i]);
    }
    ASSERT_EQ(c, big_crc) << "trial " << trial;
  }
}

}  // namespace
}  // namespace kappa
