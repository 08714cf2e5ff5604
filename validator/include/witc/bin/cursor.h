// A cursor over WebAssembly binary data (core spec 5.1–5.2).
//
// The cursor always knows the absolute offset of its next byte, so every error
// it reports is "<message> (at offset 0x…)" for the exact byte. Every read
// returns Expected; nothing reads past the end it was given. LEB128 follows the
// spec exactly: at most ceil(N/7) bytes ("integer representation too long"),
// unused bits of the last byte zero or sign copies ("integer too large").
// Counts are checked against the remaining bytes before anyone allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "witc/base/diagnostic.h"
#include <fmt/format.h>

namespace witc::bin {

// The message for a preamble whose version field (the 4 bytes at `p`, a
// little-endian u32) is neither a module's nor a component's; the value is
// printed as wasmparser prints it (`{:#10x}`), so messages compare equal.
inline std::string unknown_version_message(const uint8_t* p) {
  uint32_t v = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  return fmt::format("unknown binary version: {:#10x}", v);
}

enum class LebError : uint8_t { None, Eof, TooLong, TooLarge };

// Decodes an unsigned / signed LEB128 of `bits` bits from [p, end); on success
// sets `value` and `len` (bytes consumed).
LebError decode_uleb(const uint8_t* p, const uint8_t* end, unsigned bits, uint64_t& value,
                     size_t& len);
LebError decode_sleb(const uint8_t* p, const uint8_t* end, unsigned bits, int64_t& value,
                     size_t& len);

// Appends the minimal LEB128 encoding of `v`.
void write_uleb(std::vector<uint8_t>& out, uint64_t v);
void write_sleb(std::vector<uint8_t>& out, int64_t v);

// True if [p, p+n) is well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF).
bool valid_utf8(const uint8_t* p, size_t n);

class Cursor {
 public:
  // `base` is the absolute offset of data[0]. A top-level cursor reports
  // running out as "unexpected end"; sub-cursors (sections, bodies) as
  // "unexpected end of section or function", as the spec tests expect.
  explicit Cursor(std::span<const uint8_t> data, uint64_t base = 0, bool top_level = true)
      : begin_(data.data()),
        pos_(data.data()),
        end_(data.data() + data.size()),
        base_(base),
        top_level_(top_level) {}

  uint64_t offset() const { return base_ + static_cast<uint64_t>(pos_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  bool at_end() const { return pos_ == end_; }
  const uint8_t* pos() const { return pos_; }
  const uint8_t* data_begin() const { return begin_; }
  const uint8_t* data_end() const { return end_; }
  uint64_t offset_of(const uint8_t* p) const { return base_ + static_cast<uint64_t>(p - begin_); }
  // Moves back to an earlier position of this cursor (re-reading a byte).
  void seek(const uint8_t* p) { pos_ = p; }

  Expected<uint8_t> u8() {
    if (pos_ == end_) return fail(eof());
    return *pos_++;
  }
  // The next byte without consuming it.
  Expected<uint8_t> peek() const {
    if (pos_ == end_) return fail(eof());
    return *pos_;
  }

  Expected<uint32_t> u32() {
    if (pos_ != end_ && *pos_ < 0x80) return *pos_++;
    auto v = uleb(32);
    if (!v) return fail(std::move(v.error()));
    return static_cast<uint32_t>(*v);
  }
  Expected<uint64_t> u64() { return uleb(64); }
  Expected<int32_t> s32() {
    auto v = sleb(32);
    if (!v) return fail(std::move(v.error()));
    return static_cast<int32_t>(*v);
  }
  Expected<int64_t> s33() { return sleb(33); }
  Expected<int64_t> s64() { return sleb(64); }
  Expected<uint32_t> fixed32();  // little-endian (f32 bit pattern)
  Expected<uint64_t> fixed64();  // little-endian (f64 bit pattern)

  Expected<uint64_t> uleb(unsigned bits);
  Expected<int64_t> sleb(unsigned bits);

  // The next n bytes ("unexpected end" if fewer remain).
  Expected<std::span<const uint8_t>> bytes(size_t n);
  // A vector length: a u32 that must not exceed the implementation `limit`
  // ("too many <what>"). Elements are read one by one afterwards, so a count
  // larger than the data fails at the end of the data; allocate at most
  // capacity_for(n, ...) up front.
  Expected<uint32_t> count(size_t limit, std::string_view what);
  // How many of n declared elements of at least `min_elem_size` bytes can
  // possibly follow: the most a reader should reserve.
  size_t capacity_for(uint32_t n, size_t min_elem_size = 1) const {
    size_t fit = remaining() / min_elem_size;
    return n < fit ? n : fit;
  }
  // A length-prefixed UTF-8 name (core spec 5.2.4).
  Expected<std::string_view> name();
  // A sub-cursor over the next n bytes; this cursor skips them.
  Expected<Cursor> sub(size_t n);

  Diagnostic error(std::string msg) const { return Diagnostic::at_offset(offset(), std::move(msg)); }
  Diagnostic error_at(const uint8_t* p, std::string msg) const {
    return Diagnostic::at_offset(offset_of(p), std::move(msg));
  }
  Diagnostic eof() const;
  Diagnostic leb_error(LebError e, const uint8_t* start) const;

 private:
  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  uint64_t base_;
  bool top_level_;
};

}  // namespace witc::bin
