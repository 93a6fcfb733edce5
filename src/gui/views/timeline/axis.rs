//! The timeline's axes: days since the common era on x (grid lines at years, months and days,
//! labelled as dates), one lane per integer on y (the first lane at 0, the next below it).

use std::ops::RangeInclusive;

use chrono::{Datelike as _, NaiveDate};
use egui_plot::{GridInput, GridMark};

/// A day as a plot x coordinate.
pub(super) fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// The day at a plot x coordinate (none far outside the calendar).
fn date_of(x: f64) -> Option<NaiveDate> {
    if !x.is_finite() || x.abs() > 3.0e6 {
        return None;
    }
    NaiveDate::from_num_days_from_ce_opt(x.round() as i32)
}

/// Grid lines at years, months (when fewer than ~12 years show) and days (fewer than ~6 months).
pub(super) fn date_grid(input: GridInput) -> Vec<GridMark> {
    let (a, b) = input.bounds;
    let (Some(first), Some(last)) = (date_of(a.floor()), date_of(b.ceil())) else {
        return Vec::new();
    };
    let span = b - a;
    let mut out = Vec::new();
    let years = (last.year() - first.year()).max(1);
    let year_step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|s| years / s <= 60)
        .unwrap_or(1000);
    let mut y = first.year() - first.year().rem_euclid(year_step);
    while y <= last.year() {
        if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
            out.push(GridMark {
                value: day_number(d),
                step_size: 365.0 * f64::from(year_step),
            });
        }
        y += year_step;
    }
    if span < 365.0 * 12.0 {
        let mut d = NaiveDate::from_ymd_opt(first.year(), first.month(), 1);
        while let Some(m) = d.filter(|m| *m <= last) {
            if m.month() != 1 {
                out.push(GridMark {
                    value: day_number(m),
                    step_size: 30.0,
                });
            }
            d = m.checked_add_months(chrono::Months::new(1));
        }
    }
    out.retain(|m| m.value >= a && m.value <= b);
    if span < 183.0 {
        let mut d = Some(first);
        while let Some(day) = d.filter(|x| *x <= last) {
            if day.day() != 1 {
                out.push(GridMark {
                    value: day_number(day),
                    step_size: 1.0,
                });
            }
            d = day.succ_opt();
        }
    }
    out
}

/// A grid line's label: the year, the month or the day, by its step.
pub(super) fn date_label(mark: GridMark, _range: &RangeInclusive<f64>) -> String {
    let Some(d) = date_of(mark.value) else {
        return String::new();
    };
    if mark.step_size >= 365.0 {
        format!("{}", d.year())
    } else if mark.step_size >= 28.0 {
        d.format("%Y-%m").to_string()
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// A lane's plot y coordinate (lane 0 on top).
pub(super) fn lane_y(lane: usize) -> f64 {
    -(lane as f64)
}
