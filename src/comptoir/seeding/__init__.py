"""Large synthetic data sets for load tests (`comptoir seed-orders`). A plain package, not an app."""
