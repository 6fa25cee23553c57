// Meta-learners on a simulation where every linear base model is correctly specified:
// x1, x2 ~ N(0,1), P(t = 1) = logistic(x1), y = x1 + x2 + tau t + N(0,1), tau = 0.5 + 0.5 x1.
#include "uplift/meta_learners.h"

#include <gtest/gtest.h>

#include <cmath>

#include "causeway/rng.h"
#include "causeway/status.h"
#include "support/samples.h"

namespace causeway {
namespace {

double rmse(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return std::sqrt((a - b).squaredNorm() / static_cast<double>(a.size()));
}

TEST(MetaLearners, LinearBaseRecoversALinearEffect) {
  // 4,000 rows, about 2,000 per arm: each arm's coefficients carry standard errors near
  // 1/sqrt(2000) = 0.022, so an effect built from two arms' fits errs by about 0.03 to 0.05 at a
  // typical x1. Twice that, 0.1, is the bar; a learner that ignored x1 would err by 0.5 sd(x1)
  // = 0.5.
  const testing::LinearEffectSample s = testing::linear_effect_sample(4000, 21, 0.5);
  const testing::LinearEffectSample fresh = testing::linear_effect_sample(1000, 22, 0.5);
  for (const char* method : {"t", "s", "x", "dr"}) {
    MetaOptions o;
    o.method = method;
    o.base = "linear";
    const MetaData train{s.x, s.x, s.y, s.t}, held{fresh.x, fresh.x, fresh.y, fresh.t};
    const MetaFit fit = fit_meta_learner(train, &held, o);
    EXPECT_LT(rmse(fit.tau, s.tau), 0.1) << method;
    EXPECT_LT(rmse(fit.holdout, fresh.tau), 0.1) << method;
  }
}

TEST(MetaLearners, BoostingFollowsTheEffectAndIgnoresTheThreadCount) {
  const testing::LinearEffectSample s = testing::linear_effect_sample(3000, 23, 0.5);
  for (const char* method : {"t", "s", "x", "dr"}) {
    MetaOptions o;
    o.method = method;
    o.threads = 1;
    const MetaData train{s.x, s.x, s.y, s.t};
    const MetaFit one = fit_meta_learner(train, nullptr, o);
    o.threads = 2;
    const MetaFit two = fit_meta_learner(train, nullptr, o);
    EXPECT_EQ(one.tau, two.tau) << method;
    // Trees approximate the linear effect in steps; the predictions must still rise with x1
    // (its true slope is 0.5 per unit).
    const Eigen::VectorXd x1 = s.x.col(0);
    const double cov = ((x1.array() - x1.mean()) * (one.tau.array() - one.tau.mean())).mean();
    EXPECT_GT(cov / ((x1.array() - x1.mean()).square().mean()), 0.25) << method;
  }
}

TEST(MetaLearners, UnknownMethodOrBaseIsRefused) {
  const testing::LinearEffectSample s = testing::linear_effect_sample(200, 24, 0.5);
  const MetaData train{s.x, s.x, s.y, s.t};
  MetaOptions o;
  o.method = "q";
  EXPECT_THROW(fit_meta_learner(train, nullptr, o), Error);
  o.method = "t";
  o.base = "forest";
  EXPECT_THROW(fit_meta_learner(train, nullptr, o), Error);
}

}  // namespace
}  // namespace causeway
