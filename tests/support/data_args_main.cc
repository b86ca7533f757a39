// main() for tests that take their data files as NAME=PATH arguments.
#include "gtest/gtest.h"
#include "tests/support/data_args.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (!minivm_test::ParseDataArgs(argc, argv)) return 2;
  return RUN_ALL_TESTS();
}
