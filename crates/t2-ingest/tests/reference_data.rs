//! Acceptance checks on the public reference data in ../shared/data (T2-SPEC.md numbers).

#[path = "../../shared_data.rs"]
mod shared_data;
use shared_data::shared_data;
use t2_core::rowset::RowSet;
use t2_ingest::{IngestOptions, InputKind};

/// T2-SPEC.md, "Measuring pass@k": unbiased estimator, mean over each model's 128 problems.
const PYTHIA_REFERENCE: [(&str, [f64; 3]); 3] = [
    ("Pythia_12B_300B", [0.010925, 0.099742, 0.508384]),
    ("Pythia_1.4B_200B", [0.010754, 0.096642, 0.492521]),
    ("Pythia_70M_2B", [0.000298, 0.002968, 0.028118]),
];

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_gsm8k_pass_at_1_10_100_match_the_spec() {
    let path = shared_data("pythia_gsm8k_per_problem.parquet");
    let opts = IngestOptions {
        k_grid: Some(vec![1.0, 10.0, 100.0]),
        ..Default::default()
    };
    let ingested = t2_ingest::read_runs(&path, &opts).unwrap();
    assert_eq!(ingested.report.kind, InputKind::Sampled);
    assert_eq!(ingested.report.rows_read, 10_273);
    let t = &ingested.table;
    let model = &t
        .extra
        .iter()
        .find(|c| c.name == "model")
        .expect("model carried through")
        .values;
    let problems = &t.extra.iter().find(|c| c.name == "problems").unwrap().values;
    let pass = t.pass_at_k.as_ref().unwrap();
    let loss = t.loss.as_ref().unwrap();
    for (name, expected) in PYTHIA_REFERENCE {
        let rows: Vec<usize> = (0..t.len()).filter(|&i| model[i] == name).collect();
        assert_eq!(rows.len(), 3, "{name}");
        for (&i, (k, want)) in rows.iter().zip([1.0, 10.0, 100.0].into_iter().zip(expected)) {
            assert_eq!(t.k[i], k);
            assert_eq!(problems[i], "128", "{name}");
            assert!(
                (pass[i] - want).abs() < 1e-6,
                "{name} pass@{k}: {} vs {want}",
                pass[i]
            );
            assert_eq!(loss[i], -pass[i].ln());
            assert_eq!(ingested.source_rows[i].len(), 128);
        }
    }
    // 81 checkpoints, all kept: the two without any correct sample have pass@k = 0 and loss +∞ at every k,
    // and every file row is behind some table row.
    assert_eq!(t.len(), 81 * 3);
    let zero: Vec<usize> = (0..t.len()).filter(|&i| pass[i] == 0.0).collect();
    assert_eq!(zero.len(), 2 * 3);
    assert!(zero.iter().all(|&i| loss[i] == f64::INFINITY));
    assert!(ingested.report.dropped.is_empty());
    let behind: usize = ingested.source_rows.iter().step_by(3).map(RowSet::len).sum();
    assert_eq!(behind, 10_273);
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn pythia_default_grid_is_powers_of_two_up_to_each_checkpoints_smallest_sample_count() {
    let path = shared_data("pythia_gsm8k_per_problem.parquet");
    let ingested = t2_ingest::read_runs(&path, &IngestOptions::default()).unwrap();
    let t = &ingested.table;
    let ids = t.checkpoint_ids();
    for id in 0..=*ids.iter().max().unwrap() {
        let ks: Vec<f64> = (0..t.len()).filter(|&i| ids[i] == id).map(|i| t.k[i]).collect();
        let expected: Vec<f64> = (0..ks.len()).map(|j| 2f64.powi(j as i32)).collect();
        assert_eq!(ks, expected, "checkpoint {id}");
        assert!(ks.len() >= 8, "every problem has at least 128 samples");
    }
}

#[test]
#[cfg_attr(no_shared_data, ignore = "needs ../shared/data beside the project")]
fn epoch_chinchilla_csv_loads_through_column_mapping() {
    let path = shared_data("chinchilla_epoch_svg.csv");
    let opts = IngestOptions {
        columns: vec![
            ("params".into(), "Model Size".into()),
            ("train_flops".into(), "Training FLOP".into()),
        ],
        ..Default::default()
    };
    let ingested = t2_ingest::read_runs(&path, &opts).unwrap();
    let t = &ingested.table;
    assert_eq!(t.len(), 245);
    assert!(t.k.iter().all(|&k| k == 1.0));
    assert!(t.pass_at_k.is_none());
    // First data row: Model Size 6795600349.289497, Training FLOP 9.993852799709755e+18, loss 5.005581996196243.
    assert_eq!(t.params[0], 6795600349.289497);
    assert_eq!(t.tokens[0], 9.993852799709755e18 / (6.0 * 6795600349.289497));
    assert_eq!(t.loss.as_ref().unwrap()[0], 5.005581996196243);
    let names: Vec<&str> = t.extra.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["x", "y", "color", "hex_color"]);
    assert!(ingested.report.dropped.is_empty());
}
