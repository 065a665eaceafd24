"""A synthetic tenant app with 200 small migrations (CreateModel / AddField), for the
"200 more migrations" provisioning benchmark. Only bench settings install it (BENCH_SYNTHETIC=1);
the product never does. `python -m bench.synthetic.generate` rewrites models.py and the
migrations."""
