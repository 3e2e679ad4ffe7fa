from django.core.management.base import BaseCommand, CommandError

from rvcu.benchmark_data import BenchmarkRefused, benchmark_counts, benchmark_generate


class Command(BaseCommand):
    help = (
        "Fill an empty database (member cities loaded, no practice nor partnership yet) with "
        "made-up published practices and partnerships, and some drafts and submissions, for "
        "benchmarks. The same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--practices", type=int, default=20000, help="published practices (default 20000)"
        )
        parser.add_argument(
            "--partnerships",
            type=int,
            default=3000,
            help="published partnerships (default 3000)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--allow-no-debug",
            action="store_true",
            help="write even with DEBUG off (into a throwaway benchmark database only)",
        )

    def handle(self, *args, practices, partnerships, seed, allow_no_debug, **options):
        if practices < 0 or partnerships < 0:
            raise CommandError("--practices and --partnerships cannot be negative.")
        try:
            _plan, seconds = benchmark_generate(
                practices=practices,
                partnerships=partnerships,
                seed=seed,
                allow_no_debug=allow_no_debug,
            )
        except BenchmarkRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for label, count in benchmark_counts():
            self.stdout.write(f"{label:<26}{count:>8}")
        self.stdout.write(self.style.SUCCESS(f"Benchmark data written in {seconds:.1f} s."))
