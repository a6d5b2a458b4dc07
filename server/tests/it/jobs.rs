//! The job queue on both engines: each job is claimed by one worker at a time, a lease that
//! runs out makes it claimable again, a released job keeps its attempt, and a finished job is
//! gone.

use std::collections::HashSet;

use app::jobs::queue::{self, ClaimedJob};
use app::jobs::JobKind;
use app::testing::TestDatabase;

async fn enqueue(db: &app::db::Db, subjects: usize, now: i64) {
    let mut conn = db.pool().acquire().await.unwrap();
    for n in 0..subjects {
        queue::enqueue(&mut conn, JobKind::IngestDocument, &format!("doc-{n}"), now)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn concurrent_workers_never_claim_the_same_job() {
    let database = TestDatabase::new().await;
    let db = database.connect().await;
    enqueue(&db, 5, 1_000).await;
    let claims = (0..8).map(|worker| {
        let db = db.clone();
        async move {
            queue::claim(&db, &format!("worker-{worker}"), 2_000, 62_000)
                .await
                .unwrap()
        }
    });
    let claimed: Vec<ClaimedJob> = futures::future::join_all(claims)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(
        claimed.len(),
        5,
        "five jobs, five claims, three workers idle"
    );
    let subjects: HashSet<&str> = claimed.iter().map(|job| job.subject_id.as_str()).collect();
    assert_eq!(subjects.len(), 5);
    assert!(claimed.iter().all(|job| job.attempts == 1));
    assert!(queue::claim(&db, "late", 3_000, 63_000)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn leases_run_out_releases_keep_attempts_and_finished_jobs_go() {
    let database = TestDatabase::new().await;
    let db = database.connect().await;
    enqueue(&db, 1, 1_000).await;
    let first = queue::claim(&db, "a", 2_000, 10_000)
        .await
        .unwrap()
        .unwrap();
    assert!(
        queue::claim(&db, "b", 9_999, 70_000)
            .await
            .unwrap()
            .is_none(),
        "leased"
    );
    // A's instance died: after its lease, B takes the job over, and A can no longer touch it.
    let second = queue::claim(&db, "b", 10_001, 70_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (second.id.as_str(), second.attempts),
        (first.id.as_str(), 2)
    );
    assert!(!queue::renew(&db, &first.id, "a", 80_000).await.unwrap());
    queue::finish(&db, &first.id, "a").await.unwrap();
    assert_eq!(
        queue::outstanding(&db).await.unwrap(),
        1,
        "A's finish is ignored"
    );
    // B hands it back on shutdown: queued again, the attempt not counted.
    queue::release(&db, &second.id, "b").await.unwrap();
    let third = queue::claim(&db, "c", 10_002, 70_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(third.attempts, 2);
    assert!(queue::renew(&db, &third.id, "c", 90_000).await.unwrap());
    queue::finish(&db, &third.id, "c").await.unwrap();
    assert_eq!(queue::outstanding(&db).await.unwrap(), 0);
}

#[tokio::test]
async fn a_job_retried_later_waits_its_turn() {
    let database = TestDatabase::new().await;
    let db = database.connect().await;
    enqueue(&db, 1, 1_000).await;
    let job = queue::claim(&db, "a", 2_000, 60_000)
        .await
        .unwrap()
        .unwrap();
    queue::retry_later(&db, &job.id, "a", 7_000).await.unwrap();
    assert!(queue::claim(&db, "b", 6_999, 60_000)
        .await
        .unwrap()
        .is_none());
    let again = queue::claim(&db, "b", 7_000, 60_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.attempts, 2);
}
