"""The product's feature flags. Promote a feature by changing its stage to GENERAL."""

from tenants.flags import BETA, feature

INSIGHTS = feature(
    "insights",
    "Insights: a chart of tasks created and completed per day, across all projects.",
    stage=BETA,
)
