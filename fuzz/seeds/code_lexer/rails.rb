class X < ActiveRecord::Migration[7.0]
  def up
    execute <<~SQL
      DROP TABLE x;
    SQL
  end
  def down
    remove_column :t, :c
  end
end
