// CRC-32C. Crc32cExtend runs ExtendSse42ThreeLanes if the CPU has SSE4.2
// (checked once, at first use) and ExtendPortable otherwise:
//
// - ExtendPortable: slicing-by-8 tables, for CPUs without SSE4.2.
// - ExtendSse42OneLane: one dependent chain of the SSE4.2 `crc32` instruction,
//   8 bytes per step. The instruction has a latency of 3 cycles but a
//   throughput of 1 per cycle, so a single chain uses a third of what the
//   CPU can do (~9 GB/s on the development VM). Crc32c was this before the
//   three-lane kernel; its loop (OneLane) now handles short inputs and the
//   tail of long ones inside ExtendSse42ThreeLanes.
// - ExtendSse42ThreeLanes: the standard interleaved method. A block of
//   3 * L bytes is split into three lanes of L bytes, each CRC'd by its own
//   `crc32` chain so the three chains overlap in the pipeline, and the three
//   lane CRCs are then combined into the CRC of the whole block (below).
//
// Combining lanes. Without the pre/post inversion, the CRC register is linear
// over GF(2): for strings A and B,
//
//   crc(c, A || B) = shift(crc(c, A), |B|) ^ crc(0, B)
//
// where shift(c, n) = c * x^(8n) mod P "feeds n zero bytes" to c. So a block
// A || B || C with lane CRCs a = crc(c, A), b = crc(0, B), d = crc(0, C) has
//
//   crc(c, A || B || C) = shift(a, 2L) ^ shift(b, L) ^ d.
//
// shift by a fixed n is a linear map of 32 bits, done here with four
// byte-indexed tables (ShiftTable, 4 KiB), built at compile time. The two
// shifts are independent, so combining costs about one table lookup's latency
// per block. Lanes of 8 KiB (24 KiB blocks) keep that cost negligible on long
// inputs; 256 B and 64 B lanes then take what is left, so that medium inputs
// (a few hundred bytes to tens of KiB) run mostly in three lanes too. Inputs
// shorter than 3 * 64 bytes run in one lane.
//
// The kernels work on the raw CRC register (no inversion); Crc32cExtend adds
// the inversion. They have external linkage in crc32c_internal only so that
// the unit tests and kappa_crc32c_bench can reach each one directly; they are
// not part of the API.
#include "base/crc32c.h"

#include <array>
#include <bit>
#include <cstring>

namespace kappa {
namespace {

constexpr uint32_t kPoly = 0x82f63b78;  // reflected Castagnoli polynomial

constexpr std::array<std::array<uint32_t, 256>, 8> MakeTables() {
  std::array<std::array<uint32_t, 256>, 8> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
    t[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i) {
    for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
  return t;
}

constexpr auto kTables = MakeTables();

#if defined(__x86_64__)
// --- Shift by n zero bytes (for the three-lane kernel) ---------------------
//
// Polynomials mod P in the reflected representation the register uses: bit 31
// is the coefficient of x^0, bit 0 that of x^31.

constexpr uint32_t kXPow0 = uint32_t{1} << 31;

// a * b mod P.
constexpr uint32_t MultModP(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (uint32_t bit = kXPow0; bit != 0; bit >>= 1) {
    if (a & bit) product ^= b;
    b = (b & 1) ? (b >> 1) ^ kPoly : b >> 1;  // b *= x
  }
  return product;
}

// x^(8n) mod P, by square-and-multiply.
constexpr uint32_t XPow8NModP(size_t n) {
  uint32_t result = kXPow0;
  uint32_t power = kXPow0 >> 8;  // x^8
  for (; n != 0; n >>= 1) {
    if (n & 1) result = MultModP(result, power);
    power = MultModP(power, power);
  }
  return result;
}

// shift(c, n) as four tables: shift(c, n) = t[0][c & 0xff] ^ t[1][(c >> 8) &
// 0xff] ^ t[2][...] ^ t[3][c >> 24], since the map is linear.
using ShiftTable = std::array<std::array<uint32_t, 256>, 4>;

constexpr ShiftTable MakeShiftTable(size_t n) {
  const uint32_t op = XPow8NModP(n);
  std::array<uint32_t, 32> basis{};  // shift(1 << i, n)
  for (int i = 0; i < 32; ++i) basis[i] = MultModP(op, uint32_t{1} << i);
  ShiftTable t{};
  for (int k = 0; k < 4; ++k) {
    for (uint32_t b = 1; b < 256; ++b) {
      // Linear: the entry for b is the entry for b without its lowest set
      // bit, plus that bit's basis vector.
      t[k][b] = t[k][b & (b - 1)] ^ basis[8 * k + std::countr_zero(b)];
    }
  }
  return t;
}

inline uint32_t Shift(const ShiftTable& t, uint32_t c) {
  return t[0][c & 0xff] ^ t[1][(c >> 8) & 0xff] ^ t[2][(c >> 16) & 0xff] ^ t[3][c >> 24];
}

// Feeds n zero bytes the slow way, to check the tables at compile time.
constexpr uint32_t ShiftByZeroBytes(uint32_t c, size_t n) {
  while (n--) c = (c >> 8) ^ kTables[0][c & 0xff];
  return c;
}
static_assert(MultModP(XPow8NModP(1), 0xdeadbeef) == ShiftByZeroBytes(0xdeadbeef, 1));
static_assert(MultModP(XPow8NModP(7), 0x12345678) == ShiftByZeroBytes(0x12345678, 7));
static_assert(MultModP(XPow8NModP(64), 0x87654321) == ShiftByZeroBytes(0x87654321, 64));

// One lane width of the three-lane kernel: the lane size in bytes (a multiple
// of 8) and the tables that shift by one and by two lanes.
struct LaneLevel {
  size_t bytes;
  const ShiftTable* by_one_lane;
  const ShiftTable* by_two_lanes;
};

constexpr ShiftTable kShift8K = MakeShiftTable(8192);
constexpr ShiftTable kShift16K = MakeShiftTable(2 * 8192);
constexpr ShiftTable kShift256 = MakeShiftTable(256);
constexpr ShiftTable kShift512 = MakeShiftTable(2 * 256);
constexpr ShiftTable kShift64 = MakeShiftTable(64);
constexpr ShiftTable kShift128 = MakeShiftTable(2 * 64);

// Largest first: each level takes as many 3-lane blocks as fit.
constexpr LaneLevel kLevels[] = {
    {8192, &kShift8K, &kShift16K},
    {256, &kShift256, &kShift512},
    {64, &kShift64, &kShift128},
};

// One dependent chain of `crc32`; inlined into both SSE4.2 kernels so that
// short inputs pay no extra call.
__attribute__((target("sse4.2"), always_inline)) inline uint32_t OneLane(uint32_t crc,
                                                                         const uint8_t* p,
                                                                         size_t n) {
  uint64_t c = crc;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = __builtin_ia32_crc32di(c, v);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  while (n--) c32 = __builtin_ia32_crc32qi(c32, *p++);
  return c32;
}
#endif  // __x86_64__

}  // namespace

namespace crc32c_internal {

uint32_t ExtendPortable(uint32_t crc, const uint8_t* p, size_t n) {
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    v ^= crc;
    crc = kTables[7][v & 0xff] ^ kTables[6][(v >> 8) & 0xff] ^ kTables[5][(v >> 16) & 0xff] ^
          kTables[4][(v >> 24) & 0xff] ^ kTables[3][(v >> 32) & 0xff] ^
          kTables[2][(v >> 40) & 0xff] ^ kTables[1][(v >> 48) & 0xff] ^ kTables[0][v >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xff];
  return crc;
}

#if defined(__x86_64__)
bool HasSse42() { return __builtin_cpu_supports("sse4.2"); }

__attribute__((target("sse4.2"))) uint32_t ExtendSse42OneLane(uint32_t crc, const uint8_t* p,
                                                              size_t n) {
  return OneLane(crc, p, n);
}

__attribute__((target("sse4.2"))) uint32_t ExtendSse42ThreeLanes(uint32_t crc, const uint8_t* p,
                                                                 size_t n) {
  constexpr size_t kMinThreeLanes = 3 * 64;
  if (n < kMinThreeLanes) return OneLane(crc, p, n);

  // Align the loads to 8 bytes so none of them straddles a cache line.
  while (reinterpret_cast<uintptr_t>(p) & 7) {
    crc = __builtin_ia32_crc32qi(crc, *p++);
    --n;
  }

  for (const LaneLevel& level : kLevels) {
    const size_t lane = level.bytes;
    while (n >= 3 * lane) {
      uint64_t c0 = crc, c1 = 0, c2 = 0;
      for (const uint8_t* end = p + lane; p < end; p += 8) {
        uint64_t v0, v1, v2;
        std::memcpy(&v0, p, 8);
        std::memcpy(&v1, p + lane, 8);
        std::memcpy(&v2, p + 2 * lane, 8);
        c0 = __builtin_ia32_crc32di(c0, v0);
        c1 = __builtin_ia32_crc32di(c1, v1);
        c2 = __builtin_ia32_crc32di(c2, v2);
      }
      crc = Shift(*level.by_two_lanes, static_cast<uint32_t>(c0)) ^
            Shift(*level.by_one_lane, static_cast<uint32_t>(c1)) ^ static_cast<uint32_t>(c2);
      p += 2 * lane;  // the loop advanced p over the first lane
      n -= 3 * lane;
    }
  }
  return OneLane(crc, p, n);
}
#endif

}  // namespace crc32c_internal

uint32_t Crc32cExtend(uint32_t crc, const uint8_t* data, size_t n) {
#if defined(__x86_64__)
  static const bool sse42 = crc32c_internal::HasSse42();
  if (sse42) return ~crc32c_internal::ExtendSse42ThreeLanes(~crc, data, n);
#endif
  return ~crc32c_internal::ExtendPortable(~crc, data, n);
}

}  // namespace kappa
