//! A cucumber writer that turns the Gherkin side of a run into harness checks: a feature file
//! that does not parse, a step no definition matches (undefined, "skipped" in cucumber), or a step
//! that fails makes the run a harness error. The certification results themselves travel through
//! the run context, not through cucumber's pass/fail.

use cucumber::event::{self, Cucumber};
use cucumber::{Event, World, Writer, cli, parser, writer};

/// What the Gherkin side of a run reported.
#[derive(Debug, Default, Clone)]
pub struct GherkinReport {
    /// Problems: unparsable features, undefined or failed steps.
    pub problems: Vec<String>,
    /// Features seen.
    pub features: usize,
    /// Scenarios finished.
    pub scenarios: usize,
}

/// The writer.
#[derive(Debug, Default)]
pub struct CheckWriter {
    /// What was seen.
    pub report: GherkinReport,
}

impl<W: World + std::fmt::Debug> Writer<W> for CheckWriter {
    type Cli = cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
        let ev = match event {
            Err(e) => {
                self.report.problems.push(format!("feature file: {e}"));
                return;
            }
            Ok(ev) => ev.value,
        };
        let Cucumber::Feature(feature, ev) = ev else {
            return;
        };
        let path = feature
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| feature.name.clone());
        let scenario_event = match ev {
            event::Feature::Started => {
                self.report.features += 1;
                return;
            }
            event::Feature::Scenario(sc, ev) => Some((sc, ev.event)),
            event::Feature::Rule(_, event::Rule::Scenario(sc, ev)) => Some((sc, ev.event)),
            _ => None,
        };
        let Some((scenario, ev)) = scenario_event else {
            return;
        };
        let step = match ev {
            event::Scenario::Finished => {
                self.report.scenarios += 1;
                return;
            }
            event::Scenario::Step(step, ev) | event::Scenario::Background(step, ev) => (step, ev),
            event::Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                self.report.problems.push(format!(
                    "{path}: scenario {:?}: hook failed: {}",
                    scenario.name,
                    panic_text(&info)
                ));
                return;
            }
            _ => return,
        };
        let (s, ev) = step;
        let at = format!(
            "{path}:{}: {} {}",
            s.position.line,
            s.keyword.trim(),
            s.value
        );
        match ev {
            event::Step::Skipped => self
                .report
                .problems
                .push(format!("{at}: no step definition matches this step")),
            event::Step::Failed(_, _, _, err) => self
                .report
                .problems
                .push(format!("{at}: step failed: {err}")),
            _ => {}
        }
    }
}

impl writer::Normalized for CheckWriter {}

fn panic_text(info: &event::Info) -> String {
    info.downcast_ref::<String>()
        .cloned()
        .or_else(|| info.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into())
}
