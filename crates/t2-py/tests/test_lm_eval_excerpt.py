"""The excerpt of a real lm-evaluation-harness log in data/lm_eval_excerpt: faithful to the harness's own hashes,
and read by t2 as the command line reads it."""

import hashlib
import json
from pathlib import Path

import t2

EXCERPT = Path(__file__).resolve().parents[3] / "data" / "lm_eval_excerpt"
LOG = EXCERPT / "samples_math_perturbed_full_2026-01-21T03-44-18.458309.jsonl"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_every_kept_field_matches_the_hashes_the_harness_wrote():
    lines = [json.loads(line) for line in LOG.read_text().splitlines()]
    assert [line["doc_id"] for line in lines] == [0, 1, 2, 3, 4]
    for line in lines:
        # lm-evaluation-harness 0.4: doc_hash over json.dumps(doc, indent=2, ensure_ascii=False), prompt_hash over
        # the prompt, target_hash over str(target).
        assert sha256(json.dumps(line["doc"], indent=2, ensure_ascii=False)) == line["doc_hash"]
        assert sha256(line["arguments"]["gen_args_0"]["arg_0"]) == line["prompt_hash"]
        assert sha256(str(line["target"])) == line["target_hash"]


def test_the_excerpt_reads_as_one_checkpoint_of_five_unsolved_documents():
    table = t2.read(EXCERPT / "index.csv", harness="lm-eval").table()
    assert table.select(["params", "tokens", "k", "pass_at_k", "problems"]).rows() == [(93069280.0, 1.86e9, 1.0, 0.0, 5)]
