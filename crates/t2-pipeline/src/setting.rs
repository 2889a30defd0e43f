//! The options a user sets, named in the library's words: an [`crate::Error::Option`] says which one was given
//! a value the library refuses, and each front end spells it its own way (the command line's `--holdout-share`,
//! Python's `holdout_share`) through one exhaustive match, so a new option cannot go unspelled.

t2_core::vocabulary! {
    /// An option of a fit, a plan or a figure.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Setting as "option" {
        /// Bootstrap resamples.
        Bootstrap => "bootstrap",
        /// Central level of the percentile intervals.
        Level => "level",
        /// Share of each size's checkpoints the forecast check holds out.
        HoldoutShare => "holdout_share",
        /// Rows fitted, the rest held out.
        TrainWhere => "train_where",
        /// Rows held out.
        HoldoutWhere => "holdout_where",
        /// Huber δ of the Approach 1 objective.
        HuberDelta => "huber_delta",
        /// Huber δ of the Chinchilla fit.
        Delta => "delta",
        /// Where the local solves start.
        Starts => "starts",
        /// Replaced axes of the Chinchilla start grid.
        GridAxis => "grid_axis",
        /// Pinned or bounded Chinchilla parameters.
        Constraints => "constraints",
        /// Budgets at which the Chinchilla fit reports N*, D* and D*/N*.
        Budgets => "budgets",
        /// The one task fitted or planned.
        Task => "task",
        /// The bootstrap's resampling unit.
        Cluster => "cluster",
        /// Budgets along a training-compute range.
        Points => "points",
        /// Training budgets C_train of a plan.
        TrainFlops => "train_flops",
        /// Inference compute per query C_inf.
        InferenceFlops => "inference_flops",
        /// Lifetime budgets C_total.
        TotalFlops => "total_flops",
        /// Queries over a model's life.
        Queries => "queries",
        /// Prompt tokens per query.
        PromptTokens => "prompt_tokens",
        /// Tokens generated per sample.
        TokensPerSample => "tokens_per_sample",
        /// Unique training tokens.
        UniqueTokens => "unique_tokens",
        /// R*_D of the data-constrained law.
        RepetitionHorizon => "repetition_horizon",
        /// N of a model that exists.
        Params => "params",
        /// D of a model that exists.
        Tokens => "tokens",
        /// Losses to reach.
        TargetLoss => "target_loss",
        /// pass@k values to reach.
        TargetPassAtK => "target_pass_at_k",
        /// Training compute for the runs a design advises.
        DesignBudget => "design_budget",
        /// Largest training compute of one advised run.
        MaxRunFlops => "max_run_flops",
        /// C_train of the plan a design informs.
        TargetTrainFlops => "target_train_flops",
        /// Threads a job uses.
        Threads => "threads",
        /// An output file.
        Out => "out",
        /// The forms and task chosen among a fit file's fits.
        FitsChosen => "forms/task",
    }
}
