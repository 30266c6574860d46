// The table-driven codec: encodes and decodes any Described struct (see
// field.h) at a given version by walking its Fields() table. Types map to
// wire encodings as listed in types.h.
//
// Decoding validates every length against the bytes that remain before it
// allocates, so a short frame can never make it reserve more memory than a
// small multiple of the frame's own size. Errors carry the path of the field
// that failed ("topics: [0]: partitions: [1]: records: ...") and the codes
// documented in wire.h. Encoding fails only for values the version cannot
// carry: null in a non-nullable field, an over-long string.
//
// Everything here is stateless and thread-compatible.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "base/status.h"
#include "base/strong_id.h"
#include "kafka/protocol/field.h"
#include "kafka/protocol/types.h"
#include "kafka/protocol/wire.h"

namespace kappa::kafka {

// Version and encoding style of one message being coded.
struct WireContext {
  int16_t version = 0;
  bool flexible = false;  // compact lengths and tagged fields
  // Decoded Records view the input bytes instead of copying them (the input
  // must then outlive the decoded message). DecodeRequest sets it.
  bool borrow_records = false;
};

namespace internal {

template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};

template <typename T>
struct IsStrongId : std::false_type {};
template <typename Tag, typename T>
struct IsStrongId<StrongId<Tag, T>> : std::true_type {};

template <typename T>
inline constexpr bool kIsFixed = std::is_integral_v<T> || std::is_enum_v<T> || IsStrongId<T>::value;

// Types written as a length or count followed by content; only these can
// be null on the wire.
template <typename T>
inline constexpr bool kIsPrefixed = std::is_same_v<T, std::string> || std::is_same_v<T, Bytes> ||
                                    std::is_same_v<T, Records> || IsVector<T>::value;

template <typename T>
auto ToWire(T v) {
  if constexpr (std::is_enum_v<T>) {
    return static_cast<std::underlying_type_t<T>>(v);
  } else if constexpr (IsStrongId<T>::value) {
    return v.value();
  } else if constexpr (std::is_same_v<T, bool>) {
    return static_cast<int8_t>(v ? 1 : 0);
  } else {
    return v;
  }
}

template <typename T>
using WireType = decltype(ToWire(T{}));

// Fewest bytes a value of type T can occupy.
template <typename T>
size_t MinWireSize(const WireContext& ctx) {
  if constexpr (IsOptional<T>::value) {
    return MinWireSize<typename T::value_type>(ctx);
  } else if constexpr (kIsFixed<T>) {
    return sizeof(WireType<T>);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return ctx.flexible ? 1 : 2;
  } else if constexpr (kIsPrefixed<T>) {
    return ctx.flexible ? 1 : 4;
  } else {
    size_t size = ctx.flexible ? 1 : 0;  // the tagged-field section
    (void)ForEachField<T>([&](const auto& field) {
      using F = std::decay_t<decltype(field)>;
      if (field.ExistsIn(ctx.version)) size += MinWireSize<typename F::Type>(ctx);
      return OkStatus();
    });
    return size;
  }
}

// ---- decoding ----

template <Described T>
Status DecodeStruct(Reader& r, const WireContext& ctx, T& out);

template <typename T>
Status ReadValue(Reader& r, const WireContext& ctx, T& out);

template <typename T>
Result<std::optional<size_t>> ReadPrefix(Reader& r, const WireContext& ctx) {
  if constexpr (std::is_same_v<T, std::string>) {
    return r.StringLength(ctx.flexible);
  } else if constexpr (IsVector<T>::value) {
    return r.ArrayCount(ctx.flexible, MinWireSize<typename T::value_type>(ctx));
  } else {
    return r.BytesLength(ctx.flexible);
  }
}

// Reads the content of a prefixed value whose length or count is n (already
// checked against the bytes that remain).
template <typename T>
Status ReadContent(Reader& r, const WireContext& ctx, size_t n, T& out) {
  if constexpr (IsVector<T>::value) {
    out.clear();
    out.reserve(std::min<size_t>(n, 1024));  // n is bounded; grow as bytes are consumed
    for (size_t i = 0; i < n; ++i) {
      Status s = ReadValue(r, ctx, out.emplace_back());
      if (!s.ok()) return s.WithContext(fmt::format("[{}]", i));
    }
    return OkStatus();
  } else {
    ASSIGN_OR_RETURN(std::string_view bytes, r.Take(n));
    if constexpr (std::is_same_v<T, std::string>) {
      out.assign(bytes);
    } else if constexpr (std::is_same_v<T, Records>) {
      out = ctx.borrow_records ? Records::Borrow(bytes) : Records(std::string(bytes));
    } else {
      out.data.assign(bytes);
    }
    return OkStatus();
  }
}

// A non-null value of T (for prefixed types, a null prefix is malformed).
template <typename T>
Status ReadValue(Reader& r, const WireContext& ctx, T& out) {
  if constexpr (kIsFixed<T>) {
    ASSIGN_OR_RETURN(auto v, r.Fixed<WireType<T>>());
    if constexpr (std::is_same_v<T, bool>) {
      out = v != 0;
    } else {
      out = T(v);
    }
    return OkStatus();
  } else if constexpr (kIsPrefixed<T>) {
    ASSIGN_OR_RETURN(std::optional<size_t> n, ReadPrefix<T>(r, ctx));
    if (!n) return Invalid("null where the version allows none");
    return ReadContent(r, ctx, *n, out);
  } else {
    return DecodeStruct(r, ctx, out);
  }
}

template <typename T>
Status ReadField(Reader& r, const WireContext& ctx, bool nullable, T& out) {
  if constexpr (IsOptional<T>::value) {
    using V = typename T::value_type;
    static_assert(kIsPrefixed<V>, "only strings, bytes, records and arrays can be null");
    ASSIGN_OR_RETURN(std::optional<size_t> n, ReadPrefix<V>(r, ctx));
    if (!n) {
      if (!nullable) return Invalid("null where the version allows none");
      out.reset();
      return OkStatus();
    }
    return ReadContent(r, ctx, *n, out.emplace());
  } else {
    return ReadValue(r, ctx, out);
  }
}

template <Described T>
Status DecodeStruct(Reader& r, const WireContext& ctx, T& out) {
  RETURN_IF_ERROR(ForEachField<T>([&](const auto& field) {
    if (!field.ExistsIn(ctx.version)) return OkStatus();
    return ReadField(r, ctx, field.NullableIn(ctx.version), out.*field.member)
        .WithContext(field.name);
  }));
  if (ctx.flexible) return r.SkipTaggedFields();
  return OkStatus();
}

// ---- encoding ----

inline std::string_view BytesOf(const Bytes& b) { return b.data; }
inline std::string_view BytesOf(const Records& r) { return r.bytes(); }

template <Described T>
Status EncodeStruct(Writer& w, const WireContext& ctx, const T& in);

template <typename T>
Status WriteValue(Writer& w, const WireContext& ctx, const T& in);

template <typename T>
Status WritePrefixed(Writer& w, const WireContext& ctx, const T* in) {
  if constexpr (std::is_same_v<T, std::string>) {
    return w.StringLength(in ? std::optional<size_t>(in->size()) : std::nullopt, ctx.flexible);
  } else if constexpr (IsVector<T>::value) {
    RETURN_IF_ERROR(
        w.ArrayCount(in ? std::optional<size_t>(in->size()) : std::nullopt, ctx.flexible));
    if (in == nullptr) return OkStatus();
    for (size_t i = 0; i < in->size(); ++i) {
      Status s = WriteValue(w, ctx, (*in)[i]);
      if (!s.ok()) return s.WithContext(fmt::format("[{}]", i));
    }
    return OkStatus();
  } else {
    return w.BytesLength(in ? std::optional<size_t>(BytesOf(*in).size()) : std::nullopt,
                         ctx.flexible);
  }
}

template <typename T>
Status WriteValue(Writer& w, const WireContext& ctx, const T& in) {
  if constexpr (kIsFixed<T>) {
    w.Fixed(ToWire(in));
    return OkStatus();
  } else if constexpr (kIsPrefixed<T>) {
    RETURN_IF_ERROR(WritePrefixed(w, ctx, &in));
    if constexpr (std::is_same_v<T, std::string>) w.Raw(in);
    if constexpr (std::is_same_v<T, Bytes> || std::is_same_v<T, Records>) w.Raw(BytesOf(in));
    return OkStatus();
  } else {
    return EncodeStruct(w, ctx, in);
  }
}

template <typename T>
Status WriteField(Writer& w, const WireContext& ctx, bool nullable, const T& in) {
  if constexpr (IsOptional<T>::value) {
    if (in) return WriteValue(w, ctx, *in);
    if (!nullable) return Invalid("null is not allowed in version {}", ctx.version);
    return WritePrefixed<typename T::value_type>(w, ctx, nullptr);
  } else {
    return WriteValue(w, ctx, in);
  }
}

template <Described T>
Status EncodeStruct(Writer& w, const WireContext& ctx, const T& in) {
  RETURN_IF_ERROR(ForEachField<T>([&](const auto& field) {
    if (!field.ExistsIn(ctx.version)) return OkStatus();
    return WriteField(w, ctx, field.NullableIn(ctx.version), in.*field.member)
        .WithContext(field.name);
  }));
  if (ctx.flexible) w.NoTaggedFields();
  return OkStatus();
}

}  // namespace internal

// Decodes one message that must fill `bytes` exactly (trailing bytes are
// malformed).
template <Described T>
Result<T> DecodeMessage(ByteSpan bytes, const WireContext& ctx) {
  Reader r(bytes);
  T out;
  RETURN_IF_ERROR(internal::DecodeStruct(r, ctx, out));
  if (r.remaining() != 0) return Invalid("{} unexpected bytes after the message", r.remaining());
  return out;
}

// Appends the encoding of `in` to *out (which must be non-null). On error
// *out holds a partial encoding the caller should discard.
template <Described T>
Status EncodeMessage(const T& in, const WireContext& ctx, std::string* out) {
  Writer w(out);
  return internal::EncodeStruct(w, ctx, in);
}

}  // namespace kappa::kafka
