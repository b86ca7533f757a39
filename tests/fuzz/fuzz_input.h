// Reads a fuzz input front to back: fixed-width little-endian numbers and
// byte strings. Past the end every read yields zeros, so a harness never has
// to check lengths and every input, however short, means something.
#ifndef MINIVM_TESTS_FUZZ_FUZZ_INPUT_H
#define MINIVM_TESTS_FUZZ_FUZZ_INPUT_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

class FuzzInput {
 public:
  FuzzInput(const uint8_t *data, size_t size) : data_(data), size_(size) {}

  size_t remaining() const { return size_ - pos_; }
  bool empty() const { return pos_ == size_; }

  uint8_t U8() { return static_cast<uint8_t>(Number(1)); }
  uint16_t U16() { return static_cast<uint16_t>(Number(2)); }
  uint32_t U32() { return static_cast<uint32_t>(Number(4)); }
  uint64_t U64() { return Number(8); }

  // Up to `len` bytes (fewer at the end of the input).
  std::string Bytes(size_t len) {
    if (len > remaining()) len = remaining();
    std::string s(reinterpret_cast<const char *>(data_ + pos_), len);
    pos_ += len;
    return s;
  }
  // A string whose length is the next byte: the usual way a harness takes text.
  std::string ShortString() { return Bytes(U8()); }
  // Everything not read yet.
  const uint8_t *rest() const { return data_ + pos_; }
  void Skip(size_t len) { pos_ += len < remaining() ? len : remaining(); }

 private:
  uint64_t Number(size_t width) {
    uint64_t v = 0;
    for (size_t i = 0; i < width && pos_ < size_; i++) v |= uint64_t{data_[pos_++]} << (8 * i);
    return v;
  }

  const uint8_t *data_;
  size_t size_;
  size_t pos_ = 0;
};

#endif  // MINIVM_TESTS_FUZZ_FUZZ_INPUT_H
