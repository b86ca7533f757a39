// Sets (or unsets) an environment variable for one scope and restores it after.
#ifndef MINIVM_TESTS_SUPPORT_SCOPED_ENV_H
#define MINIVM_TESTS_SUPPORT_SCOPED_ENV_H

#include <stdlib.h>

#include <string>

namespace minivm_test {

class ScopedEnv {
 public:
  // value == nullptr unsets the variable.
  ScopedEnv(const std::string& name, const char* value) : name_(name) {
    const char* old = getenv(name.c_str());
    had_value_ = old != nullptr;
    if (had_value_) old_ = old;
    if (value)
      setenv(name.c_str(), value, 1);
    else
      unsetenv(name.c_str());
  }
  ScopedEnv(const std::string& name, const std::string& value) : ScopedEnv(name, value.c_str()) {}
  ~ScopedEnv() {
    if (had_value_)
      setenv(name_.c_str(), old_.c_str(), 1);
    else
      unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::string old_;
  bool had_value_ = false;
};

}  // namespace minivm_test

#endif  // MINIVM_TESTS_SUPPORT_SCOPED_ENV_H
