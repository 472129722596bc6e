// How many events of each type the store holds (one state).
fromAll().when({
  $init: function () {
    return { total: 0, byType: {} };
  },
  $any: function (s, e) {
    s.total++;
    s.byType[e.eventType] = (s.byType[e.eventType] || 0) + 1;
  },
});
