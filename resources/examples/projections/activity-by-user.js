// What each user did: a partition per user (from the event's metadata), with counts per type.
fromAll()
  .partitionBy(function (e) {
    return e.metadata && e.metadata.userId;
  })
  .when({
    $init: function () {
      return { events: 0, types: {}, last: null };
    },
    $any: function (s, e) {
      s.events++;
      s.types[e.type] = (s.types[e.type] || 0) + 1;
      s.last = e.time;
    },
  })
  .transformBy(function (s) {
    return { events: s.events, distinctTypes: Object.keys(s.types).length, last: s.last };
  });
