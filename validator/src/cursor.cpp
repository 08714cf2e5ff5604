#include "witc/bin/cursor.h"

#include <fmt/format.h>

namespace witc::bin {

LebError decode_uleb(const uint8_t* p, const uint8_t* end, unsigned bits, uint64_t& value,
                     size_t& len) {
  const size_t max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (size_t i = 0;; ++i) {
    if (p + i >= end) return LebError::Eof;
    uint8_t b = p[i];
    if (i + 1 == max_bytes) {
      if (b & 0x80) return LebError::TooLong;
      unsigned used = bits - 7 * static_cast<unsigned>(i);  // 1..7 value bits left
      if (used < 7 && (b >> used) != 0) return LebError::TooLarge;
      result |= static_cast<uint64_t>(b) << shift;
      value = result;
      len = i + 1;
      return LebError::None;
    }
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) {
      value = result;
      len = i + 1;
      return LebError::None;
    }
    shift += 7;
  }
}

LebError decode_sleb(const uint8_t* p, const uint8_t* end, unsigned bits, int64_t& value,
                     size_t& len) {
  const size_t max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  uint8_t b = 0;
  for (size_t i = 0;; ++i) {
    if (p + i >= end) return LebError::Eof;
    b = p[i];
    if (i + 1 == max_bytes) {
      if (b & 0x80) return LebError::TooLong;
      unsigned used = bits - 7 * static_cast<unsigned>(i);  // 1..7 value bits left
      if (used < 7) {
        // The sign bit and every unused bit above it must agree.
        uint8_t high = static_cast<uint8_t>(b >> (used - 1));
        uint8_t all = static_cast<uint8_t>(0x7F >> (used - 1));
        if (high != 0 && high != all) return LebError::TooLarge;
      }
      if (shift < 64) result |= static_cast<uint64_t>(b & 0x7F) << shift;
      shift += 7;
      len = i + 1;
      break;
    }
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      len = i + 1;
      break;
    }
  }
  if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
  value = static_cast<int64_t>(result);
  return LebError::None;
}

void write_uleb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

void write_sleb(std::vector<uint8_t>& out, int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic shift
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    if (!done) b |= 0x80;
    out.push_back(b);
    if (done) return;
  }
}

bool valid_utf8(const uint8_t* p, size_t n) {
  const uint8_t* end = p + n;
  while (p < end) {
    uint8_t c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<size_t>(end - p) < len) return false;
    for (size_t i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += len;
  }
  return true;
}

Diagnostic Cursor::eof() const {
  return error(top_level_ ? "unexpected end" : "unexpected end of section or function");
}

Diagnostic Cursor::leb_error(LebError e, const uint8_t* start) const {
  switch (e) {
    case LebError::Eof: return Diagnostic::at_offset(offset_of(end_), eof().message);
    case LebError::TooLong: return error_at(start, "integer representation too long");
    case LebError::TooLarge: return error_at(start, "integer too large");
    case LebError::None: break;
  }
  return error_at(start, "internal error: bad LEB128 state");
}

Expected<uint64_t> Cursor::uleb(unsigned bits) {
  uint64_t v = 0;
  size_t len = 0;
  LebError e = decode_uleb(pos_, end_, bits, v, len);
  if (e != LebError::None) return fail(leb_error(e, pos_));
  pos_ += len;
  return v;
}

Expected<int64_t> Cursor::sleb(unsigned bits) {
  int64_t v = 0;
  size_t len = 0;
  LebError e = decode_sleb(pos_, end_, bits, v, len);
  if (e != LebError::None) return fail(leb_error(e, pos_));
  pos_ += len;
  return v;
}

Expected<uint32_t> Cursor::fixed32() {
  if (remaining() < 4) return fail(Diagnostic::at_offset(offset_of(end_), eof().message));
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | pos_[i];
  pos_ += 4;
  return v;
}

Expected<uint64_t> Cursor::fixed64() {
  if (remaining() < 8) return fail(Diagnostic::at_offset(offset_of(end_), eof().message));
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | pos_[i];
  pos_ += 8;
  return v;
}

Expected<std::span<const uint8_t>> Cursor::bytes(size_t n) {
  if (remaining() < n) return fail(Diagnostic::at_offset(offset_of(end_), eof().message));
  std::span<const uint8_t> s(pos_, n);
  pos_ += n;
  return s;
}

Expected<uint32_t> Cursor::count(size_t limit, std::string_view what) {
  const uint8_t* start = pos_;
  auto n = u32();
  if (!n) return n;
  if (*n > limit) {
    return fail(error_at(start, fmt::format("too many {} ({}; the limit is {})", what, *n, limit)));
  }
  return n;
}

Expected<std::string_view> Cursor::name() {
  const uint8_t* start = pos_;
  auto n = u32();
  if (!n) return fail(std::move(n.error()));
  if (*n > remaining()) return fail(error_at(start, "length out of bounds"));
  if (!valid_utf8(pos_, *n)) return fail(error("malformed UTF-8 encoding"));
  std::string_view s(reinterpret_cast<const char*>(pos_), *n);
  pos_ += *n;
  return s;
}

Expected<Cursor> Cursor::sub(size_t n) {
  if (remaining() < n) return fail(error("length out of bounds"));
  Cursor c(std::span<const uint8_t>(pos_, n), offset(), false);
  pos_ += n;
  return c;
}

}  // namespace witc::bin
