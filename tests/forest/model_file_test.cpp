// Model files: a saved forest predicts exactly as the trained one, and a damaged file, a file of
// another format or a file that is not a model is refused with a message.
#include <gtest/gtest.h>

#include "causeway/rng.h"
#include "causeway/uplift/model.h"
#include "forest/causal_forest.h"

namespace causeway {
namespace {

struct Trained {
  UpliftModel model;
  Eigen::MatrixXd fresh;  // rows the forest never saw
};

Trained trained() {
  Rng rng(3);
  const Eigen::Index n = 2000;
  Eigen::MatrixXd x(n, 2);
  Eigen::VectorXd y(n), w(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = rng.normal(), x(i, 1) = rng.below(3);
    w[i] = rng.bernoulli(0.5) ? 0.5 : -0.5;  // centred treatment
    y[i] = (0.2 + 0.3 * (x(i, 0) > 0)) * w[i] + rng.normal();
  }
  ForestOptions options;
  options.trees = 100;
  Trained t;
  t.model = {"0.1.0",
             "call",
             "renew",
             "train.csv",
             static_cast<std::size_t>(n),
             {{"score", false, {}}, {"plan", true, {"basic", "plus", "pro"}}},
             {"score", "plan=plus"},
             std::make_shared<CausalForest>(CausalForest::train(x, y, w, options))};
  t.fresh = Eigen::MatrixXd::Random(50, 2);
  return t;
}

TEST(ModelFile, ReadBackPredictsExactlyAsTrained) {
  const Trained t = trained();
  const std::string bytes = model_bytes(t.model);
  const UpliftModel back = parse_model(bytes, "m.cwm").value();
  EXPECT_EQ(back.features, t.model.features);
  ASSERT_EQ(back.columns.size(), 2u);
  EXPECT_EQ(back.columns[1].levels, t.model.columns[1].levels);
  EXPECT_TRUE(back.columns[1].categorical);
  EXPECT_EQ(back.training_rows, 2000u);
  EXPECT_EQ(back.forest->tree_count(), 100u);
  const auto before = t.model.forest->predict(t.fresh), after = back.forest->predict(t.fresh);
  EXPECT_EQ(before.tau, after.tau);  // bit for bit: thresholds and sums are stored exactly
  EXPECT_EQ(before.se, after.se);
  EXPECT_EQ(model_bytes(back), bytes);
}

void expect_refused(const std::string& bytes, const std::string& part) {
  const auto r = parse_model(bytes, "m.cwm");
  ASSERT_FALSE(r.ok()) << part;
  EXPECT_EQ(r.status().code(), ErrorCode::kBadInput);
  EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("m.cwm"), std::string::npos);
}

TEST(ModelFile, DamagedOtherFormatAndForeignFilesAreRefused) {
  const std::string bytes = model_bytes(trained().model);
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x10;
  expect_refused(flipped, "checksum does not match");
  expect_refused(bytes.substr(0, bytes.size() / 3), "checksum does not match");
  expect_refused(bytes.substr(0, 30), "");
  expect_refused("customer_id,score\n1,0.5\n", "not a causeway model file");
  // Another format version, with a valid checksum: refused for its version, not as damage.
  std::string other = bytes.substr(0, bytes.size() - 8);
  other[std::string("causeway uplift model\n").size()] = 2;
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a, as the file's own checksum
  for (unsigned char c : other) h = (h ^ c) * 1099511628211ULL;
  for (int k = 0; k < 8; ++k) other.push_back(static_cast<char>((h >> (8 * k)) & 0xff));
  expect_refused(other, "model file format 2, but this causeway reads format 1");
}

}  // namespace
}  // namespace causeway
