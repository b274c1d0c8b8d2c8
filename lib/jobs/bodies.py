"""Job bodies: what each kind of background job does, from workspace ids to stored results.

The worker process of lib.jobs.runner looks a run's body up by its kind in lib.jobs.kinds.BODIES and calls it as
``body(params, context)``; `context` carries the progress protocol (on_epoch, should_stop) and `note` for a line
of status. Everything they produce goes to the workspace: models under artifacts, reports as JSON, synthetic sets
as datasets.

With CREASE_RAY_ADDRESS set (README, "Running on a cluster"), a synthesizer's shards, a comparison's trainings
and a sample's chunks run as Ray tasks on that cluster; their results land in the same stores.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

from lib.data import files, splits, workspace
from lib.data.parts import FinishedParts
from lib.data.schema import MATCH_ID
from lib.data.splits import STANDARD_SPLIT
from lib.data.workspace import COMPARISONS, SYNTH_CHECKPOINTS, SYNTHESIZERS, WP_MODELS
from lib.jobs import cluster, runner, store
from models.synth.base import SampleReport
from models.synth.engines import engine_class, load_synthesizer


def training_matches(real_id: str):
    """The rows of the standard split's training matches of a stored dataset: all a synthesizer may learn from."""
    return splits.training_matches(workspace.load_dataset(real_id), STANDARD_SPLIT)


def synthesize(params: dict, context) -> dict:
    """Train a synthesizer on a dataset's training matches, store it, and store a first synthetic set from it.

    Params: engine (a models.synth.engines name; absent in runs stored before engines, which were CTGAN), real_id,
    config (the engine's config JSON), rows or matches (the size of the first synthetic set; matches for an engine
    that writes whole matches), name (of the synthetic set), sample_seed, and resume_from (the run whose
    checkpoints to continue) when resuming. Checkpoints are removed once the synthesizer and its first synthetic
    set are stored: they only serve to resume a run that did not finish, a sample stopped halfway included.
    """
    engine = engine_class(params.get("engine"))
    context.note(f"selecting the training matches and preparing them for {engine.title}")
    frame = training_matches(params["real_id"])
    started_by = params.get("resume_from") or context.run_id
    checkpoints = _checkpoint_dir(started_by)
    try:
        model = engine.train(frame, engine.config_class.from_json(params["config"]),
                             events=_events(params["real_id"]), on_epoch=context.on_epoch,
                             should_stop=context.should_stop, checkpoint_dir=checkpoints,
                             resume=bool(params.get("resume_from")), cache_dir=workspace.cache_root(),
                             run_parts=_on_cluster(context, cluster.part_runner))
        context.note("saving the synthesizer")
        model.save(workspace.artifact_root(SYNTHESIZERS) / workspace.check_id(context.run_id))
        sampled = _store_sample(model, {**params, "synthesizer_id": context.run_id}, context,
                                _kept_chunks(started_by))
    except cluster.ClusterLost as lost:
        raise lost.continued("The finished shards (and chunks) are kept: Resume from checkpoint, under Past runs on "
                             "the Synthesize page, continues from them.") from None
    shutil.rmtree(checkpoints, ignore_errors=True)  # after the sample: a sample stopped halfway resumes from them
    return {"synthesizer_id": context.run_id, **sampled, "stats": model.stats}


def _events(real_id: str):
    """The delivery events stored with a dataset (a Cricsheet import, the sample), for engines that learn from whole
    matches; None for a dataset stored without them (an upload): the matches engine then derives them from its
    rows."""
    return workspace.load_events(real_id)


def _on_cluster(context, runner):
    """`runner(cluster)` on the Ray cluster CREASE_RAY_ADDRESS names, or None (run here) when it is unset."""
    address = cluster.address_from_env()
    if address is None:
        return None
    context.note(f"connecting to the Ray cluster at {address}")
    return runner(cluster.connect(address))


def _checkpoint_dir(run_id: str):
    return workspace.artifact_root(SYNTH_CHECKPOINTS) / workspace.check_id(run_id)


def can_resume(run) -> bool:
    """Whether a synthesizer run that did not finish left checkpoints to continue from."""
    folder = _checkpoint_dir(run.params.get("resume_from") or run.id)
    return run.state in (store.FAILED, store.CANCELLED) and (folder / "progress.json").is_file()


def resume_params(run) -> dict:
    """The params of a job that continues `run` from its last checkpoint, with the same settings."""
    return {**run.params, "resume_from": run.params.get("resume_from") or run.id}


def sample_synthesizer(params: dict, context) -> dict:
    """Sample a stored synthesizer, by whichever engine wrote it, into a new synthetic dataset.

    Params: synthesizer_id, real_id, rows or matches (whole matches, from an engine that writes them), name,
    sample_seed; engine, when given, only labels the run for people (the model folder says which engine reads it).
    """
    model = load_synthesizer(workspace.artifact_dir(SYNTHESIZERS, params["synthesizer_id"]))
    kept = _kept_chunks(params["synthesizer_id"])
    try:
        return _store_sample(model, params, context, kept)
    except cluster.ClusterLost as lost:
        raise lost.continued(f"{kept.describe('chunk')} Sample {params['rows']:,} rows from the same synthesizer "
                             "again: no kept chunk is drawn again.") from None


def _kept_chunks(synthesizer_id: str) -> FinishedParts:
    """Where the chunks of a sample of synthesizer run `synthesizer_id` are kept until the sample finishes."""
    # the key is hashed into the folder's name: chunks kept by an earlier version are found under this one
    return FinishedParts(workspace.kept_root(), "sample", {"synthesizer": synthesizer_id})


def _store_sample(model, params: dict, context, kept: FinishedParts) -> dict:
    if params.get("matches"):
        rows, report = _draw_matches(model, params, context)
    else:
        rows, report = _draw_rows(model, params, context, kept)
    info = workspace.save_dataset(
        rows, name=params["name"], kind="synthetic", source=f"synthesizer {params['synthesizer_id']}",
        features=workspace.dataset_info(params["real_id"]).features,
        extra={"synthesizer_id": params["synthesizer_id"], "engine": model.name, "real_id": params["real_id"],
               "split": STANDARD_SPLIT.to_json(), "redrawn_share": report.redrawn_share, "generated": report.generated,
               "broken": report.broken},
    )
    kept.remove()
    return {"dataset": info.id, "engine": model.name, "rows": len(rows), "matches": report.matches,
            "redrawn_share": report.redrawn_share}


def _draw_rows(model, params: dict, context, kept: FinishedParts):
    """params["rows"] rows in seeded chunks (on the Ray cluster when there is one), each kept in `kept` as it is
    drawn and those an earlier run kept reused: (frame, SampleReport)."""
    from models.synth.chunks import sample_in_chunks  # torch: loaded in the job worker, not by each page importing this

    sampled = []

    def chunk_done(log) -> None:  # a note, not an epoch: the run's loss charts hold training epochs only
        sampled.append(log)
        done = kept.reused + len(sampled)
        context.note(f"sampled {done} of {log.stages} chunks", progress=done / log.stages)

    run_chunks = _on_cluster(context, lambda ray: cluster.chunk_runner(ray, chunk_done, context.should_stop))
    context.note(f"sampling {params['rows']:,} rows", progress=None)
    return sample_in_chunks(model, params["rows"], params.get("sample_seed"), run_chunks=run_chunks, kept=kept)


def _draw_matches(model, params: dict, context):
    """params["matches"] whole matches from an engine that writes them: (frame, SampleReport).

    Raises:
        ValueError: the model writes rows, not matches.
    """
    if not hasattr(model, "sample_matches"):
        raise ValueError(f"only an engine that writes whole matches can be asked for matches; this is a {model.title} "
                         "synthesizer, so ask for rows.")
    context.note(f"playing {params['matches']:,} matches", progress=None)
    frame = model.sample_matches(params["matches"], params.get("sample_seed"))
    matches = int(frame[MATCH_ID].nunique())
    return frame, SampleReport(rows=len(frame), generated=len(frame), redrawn_share=0.0, matches=matches)


def provenance_note(real_id: str, synthetic_id: str | None) -> str | None:
    """Why augmented scores can or cannot be trusted, from where the synthetic set came from."""
    if synthetic_id is None:
        return None
    made = workspace.dataset_info(synthetic_id).extra
    if made.get("real_id") == real_id and made.get("split") == STANDARD_SPLIT.to_json():
        return ("The synthetic set was made in this app from this dataset's training matches only; no test match "
                "reached the synthesizer.")
    return ("The synthetic set was not made in this app from this dataset's training matches, so this app cannot "
            "tell whether its synthesizer saw the test matches; if it did, the augmented scores are optimistic.")


def compare_wp(params: dict, context) -> dict:
    """Train every arm over seeds on the standard split and store the report and each arm's first-seed model.

    Params: real_id, synthetic_id (or None), ratios, seeds, split ("match" or "row"), config (WPConfig JSON).
    """
    from lib.wp.compare import compare_arms
    from models.wp.config import WPConfig

    real_id, synthetic_id = params["real_id"], params.get("synthetic_id")
    real = workspace.load_dataset(real_id)
    synthetic = workspace.load_dataset(synthetic_id) if synthetic_id else None
    vocabulary, features = workspace.load_vocabulary(real_id), workspace.dataset_info(real_id).features
    models: dict[str, str] = {}

    def keep(arm: str, seed_index: int, model) -> None:
        if seed_index == 0:
            model.features, model.vocabulary = features, vocabulary
            model.extra.update(arm=arm, run_id=context.run_id, real_id=real_id, synthetic_id=synthetic_id)
            models[arm] = _save_model(model, f"{context.run_id}-{workspace.slug(arm)}")

    context.note("training the arms")
    kept = FinishedParts(workspace.kept_root(), "compare")
    try:
        report = compare_arms(
            real, synthetic, ratios=params["ratios"], seeds=params["seeds"],
            config=WPConfig.from_json(params["config"]), split=replace(STANDARD_SPLIT, kind=params["split"]),
            vocabulary=vocabulary, on_epoch=context.on_epoch, should_stop=context.should_stop, on_model=keep,
            provenance=provenance_note(real_id, synthetic_id),
            run_trainings=_on_cluster(context, cluster.training_runner), kept=kept,
        )
    except cluster.ClusterLost as lost:
        raise lost.continued(f"{kept.describe('training')} Start the same comparison again (the same datasets and "
                             "settings): no kept training is trained again.") from None
    context.note("scoring every arm on the held-out test matches (bootstrap intervals over seeds and matches)")
    data = report.to_json()
    data.update(run_id=context.run_id, real_id=real_id, synthetic_id=synthetic_id, models=models)
    with files.staged_dir(workspace.artifact_root(COMPARISONS) / workspace.check_id(context.run_id)) as folder:
        (folder / "report.json").write_text(json.dumps(data, indent=1))
    kept.remove()
    return {"report": context.run_id, "models": models, "test_matches": data["test_matches"]}


def comparison_estimate(params: dict):
    """The predicted seconds of `compare_wp(params)` before it starts (lib.wp.estimate.CompareEstimate), from a
    probe that trains the model briefly in a process set up as the job's worker is."""
    from lib.wp.estimate import estimate_comparison
    from lib.wp.train import prepare_data
    from models.wp.config import WPConfig

    real_id, synthetic_id = params["real_id"], params.get("synthetic_id")
    data = prepare_data(workspace.load_dataset(real_id),
                        workspace.load_dataset(synthetic_id) if synthetic_id else None,
                        split=replace(STANDARD_SPLIT, kind=params["split"]),
                        vocabulary=workspace.load_vocabulary(real_id))
    return estimate_comparison(data, params["ratios"], params["seeds"], WPConfig.from_json(params["config"]),
                               cache_dir=workspace.cache_root())


def _save_model(model, model_id: str) -> str:
    model.save(workspace.artifact_root(WP_MODELS) / workspace.check_id(model_id))
    return model_id


def augmented_training_set(real_id: str, synthetic_id: str, ratio: float, seed: int = 0):
    """The real training matches of the standard split plus `ratio` x as many synthetic rows, for download
    (lib.wp.train.AugmentedSet; its validation and test matches are left out, as every arm leaves them out)."""
    from lib.wp.train import build_augmented_set

    return build_augmented_set(
        workspace.load_dataset(real_id), workspace.load_dataset(synthetic_id), ratio, seed=seed,
        split=STANDARD_SPLIT, vocabulary=workspace.load_vocabulary(real_id),
    )


def delete_synth_run(run_id: str) -> None:
    """Forget a finished synthesizer run and remove its model and checkpoints; synthetic sets it made stay."""
    runner.delete(run_id)
    shutil.rmtree(workspace.artifact_root(SYNTHESIZERS) / workspace.check_id(run_id), ignore_errors=True)
    shutil.rmtree(_checkpoint_dir(run_id), ignore_errors=True)

